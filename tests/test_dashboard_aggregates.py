"""The dashboard's chart and counts come from aggregate queries; they must say what per-member progress says."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from collective_coaching_xblock.demo.data import DEMO_COURSE_ID
from collective_coaching_xblock.demo.scale import seed_learners
from collective_coaching_xblock.models import (
    BlockCohort,
    CoachingGroup,
    Contribution,
    Membership,
    Reflection,
    ThemeTag,
)
from collective_coaching_xblock.operations.facilitator import dashboard as dashboard_ops
from collective_coaching_xblock.operations.facilitator.records import _member_records


def _untidy(usage_id: str, seed: int) -> None:
    """Hidden, withdrawn, private, blank and missing work, hidden reflections, moves across groups."""
    rnd = random.Random(seed)
    contributions = list(Contribution.objects.filter(author__block_id=usage_id).values_list("pk", flat=True))
    for field, value in (("hidden", True), ("state", "withdrawn"), ("sharing", "private"), ("text", "  ")):
        Contribution.objects.filter(pk__in=rnd.sample(contributions, 25)).update(**{field: value})
    Contribution.objects.filter(pk__in=rnd.sample(contributions, 15)).delete()
    reflections = list(Reflection.objects.filter(author__block_id=usage_id).values_list("pk", flat=True))
    Reflection.objects.filter(pk__in=rnd.sample(reflections, 30)).update(hidden=True)
    tags = list(ThemeTag.objects.filter(member__block_id=usage_id).values_list("pk", flat=True))
    ThemeTag.objects.filter(pk__in=rnd.sample(tags, 20)).delete()
    for member in rnd.sample(list(Membership.objects.filter(block_id=usage_id).select_related("group")), 12):
        group = rnd.choice(list(CoachingGroup.objects.filter(cohort_id=member.group.cohort_id)))
        Membership.objects.filter(pk=member.pk).update(group=group)


@pytest.mark.parametrize(
    "xml",
    [
        '<collective_coaching group_size="4"/>',
        '<collective_coaching group_size="3" peers_after_own_story="false"/>',
    ],
)
def test_chart_and_reflection_counts_match_per_member_progress(workbench, xml, monkeypatch):
    monkeypatch.setattr(dashboard_ops, "GROUPS_PER_PAGE", 6)  # several pages: only the first is computed
    usage_id = workbench.add_block(xml)
    seed_learners(usage_id, DEMO_COURSE_ID, 160)
    _untidy(usage_id, seed=len(xml))
    exercise = workbench.block("facilitator", usage_id).exercise()
    for cohort_id in ("cohort-a", "cohort-b"):
        block_cohort = BlockCohort.objects.get(block_id=usage_id, cohort_id=cohort_id)
        group_ids = list(CoachingGroup.objects.filter(cohort=block_cohort).values_list("pk", flat=True))
        members, records = _member_records(exercise, group_ids, timezone.now())  # every member
        dashboard = workbench.ok("facilitator", "dashboard_data", {"cohort": cohort_id}, usage_id)
        expected = {
            stage.id: sum(1 for m in members if stage.id in records[m.pk].progress.done) for stage in exercise.stages
        }
        assert {bar["stage_id"]: bar["done"] for bar in dashboard["chart"]} == expected
        assert any(expected.values()) and dashboard["learners"] == len(members)
        by_member_id = {m.member_id: records[m.pk] for m in members}
        shown = [row for group in dashboard["groups"] for row in group["members"]]
        assert shown and len(dashboard["groups"]) == 6 < len(group_ids)
        for row in shown:
            record = by_member_id[row["id"]]
            assert (row["reflections_given"], row["reflections_received"]) == (
                record.reflections_given,
                record.reflections_received,
            )

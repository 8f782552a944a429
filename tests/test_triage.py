"""The facilitator's triage list: what needs attention first, per cohort or for all of theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from collective_coaching_xblock.models import Contribution, Flag, Membership

from .test_facilitation import course  # noqa: F401 - the fixture: Cohort A (alice, bob, carol | dan), B (gita, hamid)


def names(lines):
    return sorted(line["name"] for line in lines)


def test_the_list_says_who_waits_who_stalled_who_never_came_and_which_groups_are_small(course):  # noqa: F811
    # Dan, alone in group 2, has done all that is his alone; only the group's part is left.
    course.ok("dan", "submit_contribution", {"stage_id": "tell", "text": "dan story", "sharing": "group"})
    course.ok("dan", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    course.ok("dan", "submit_contribution", {"stage_id": "act", "text": "dan acts", "sharing": "group"})
    Membership.objects.filter(learner_key__in=["dan", "carol"]).update(last_activity=timezone.now() - timedelta(days=8))
    alice_story = Contribution.objects.get(author__learner_key="alice", stage_id="tell")
    course.ok("bob", "flag_content", {"kind": "contribution", "id": alice_story.pk, "reason": "Unkind."})
    triage = course.ok("facilitator", "triage", {"cohort": "cohort-a"})
    assert triage["cohorts"] == ["cohort-a"]
    assert names(triage["waiting"]) == ["Dan"]  # alone, story told: never "stalled", however long ago
    assert names(triage["stalled"]) == ["Carol"]  # could witness, has not for a week
    assert sorted(p["username"] for p in triage["never_opened"]) == ["erin", "farah"]
    dan = Membership.objects.get(learner_key="dan")
    assert triage["small_groups"] == [{"group_id": dan.group_id, "group": 2, "cohort": "Cohort A", "members": 1}]
    assert [(f["kind"], f["group_id"], f["group"], f["cohort"]) for f in triage["flags"]] == [
        ("contribution", alice_story.author.group_id, 1, "Cohort A")
    ]
    # Nothing of anyone's words travels in the list.
    assert "alice" not in str(triage["flags"]).lower() and "Unkind" not in str(triage)
    # Cohort B: a flag in Cohort A never shows there.
    other = course.ok("facilitator", "triage", {"cohort": "cohort-b"})
    assert other["flags"] == [] and names(other["waiting"]) == [] and names(other["stalled"]) == []
    assert sorted(p["username"] for p in other["never_opened"]) == ["ines", "jon", "kofi", "lena"]
    # All of the facilitator's cohorts at once.
    everything = course.ok("facilitator", "triage", {})
    assert everything["cohorts"] == ["cohort-a", "cohort-b"] and len(everything["never_opened"]) == 6


def test_a_limited_facilitator_sees_their_cohorts_only_and_learners_none(course):  # noqa: F811
    limited = course.ok("facilitator_b", "triage", {})
    assert limited["cohorts"] == ["cohort-b"]
    assert course.call("facilitator_b", "triage", {"cohort": "cohort-a"}).status == 404
    assert course.call("alice", "triage", {}).status == 403
    assert course.call("facilitator", "triage", {"cohort": ["cohort-a"]}).status == 404
    assert course.call("facilitator", "triage", ["cohort-a"]).status == 400
    assert not Flag.objects.exists()


@pytest.mark.parametrize("body", [{"cohort": 7}, {"cohort": None}, {"cohort": "nowhere"}])
def test_an_unknown_cohort_answers_404(course, body):  # noqa: F811
    assert course.call("facilitator", "triage", body).status == 404


def test_the_list_reads_the_same_number_of_queries_for_two_groups_or_two_hundred(course):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from collective_coaching_xblock.demo.data import DEMO_COURSE_ID
    from collective_coaching_xblock.demo.scale import seed_learners

    def queries():
        course.ok("facilitator", "triage", {"cohort": "cohort-a"})  # the first call fills caches
        with CaptureQueriesContext(connection) as captured:
            course.ok("facilitator", "triage", {"cohort": "cohort-a"})
        return len(captured)

    few = queries()
    seed_learners(course.usage_id, DEMO_COURSE_ID, 600, group_size=3, cohorts=(("cohort-a", "Cohort A"),))
    assert queries() == few  # 202 groups: one batch (of up to 500) of members, contributions and reflections

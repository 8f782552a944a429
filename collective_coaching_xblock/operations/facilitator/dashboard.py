"""The facilitator dashboard: cohorts, one page of groups with each member's progress, flags, the chart."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from ...exercise import visibility as vis
from ...exercise.exercise import Exercise
from ...exercise.grouping import GROUP_SIZE_MIN, REGROUP_DAYS_DEFAULT, plan_merges
from ...exercise.scoring import Score
from ...i18n import gettext as _
from ...models import BlockCohort, CoachingGroup, Membership
from ...platform import CohortRef
from .. import small_groups
from ..errors import InvalidInput, NotFound
from ..groups import score_override
from ..progress import STALLED, WAITING, MemberRecord, member_state
from ..reading import reads
from ..validation import require_object
from .aggregates import _chart_counts, _reflection_counts
from .moderation import flag_queue
from .outcomes import outcome_figures
from .records import _member_records, _stage_state
from .scope import Scope

GROUPS_PER_PAGE = 50


def _score_json(record: MemberRecord, override: Score | None) -> dict:
    if override is not None:
        return {
            "earned": override.earned,
            "possible": override.possible,
            "overridden": True,
            "participation": record.progress.score.earned,
        }
    score = record.progress.score
    return {
        "earned": score.earned,
        "possible": score.possible,
        "overridden": False,
        "participation": score.earned,
    }


def dashboard_data(
    exercise: Exercise,
    scope: Scope,
    cohorts: list[CohortRef],
    data,
    *,
    stall_days: int,
    now: datetime | None = None,
) -> dict:
    """Cohorts, one page of groups with each member's progress, the flags, and a per-stage chart."""
    now = now or timezone.now()
    data = require_object(data)
    allowed = [cohort for cohort in cohorts if scope.allows(cohort.id)]
    known = {
        row.cohort_id: row
        for row in BlockCohort.objects.filter(block_id=exercise.block_id).annotate(
            learners=Count("groups__memberships")
        )
    }
    if not cohorts and "" in known:  # a course without cohorts: the block's own pool
        allowed = [CohortRef("", _("All learners"))]
    cohort_id = data.get("cohort")
    if cohort_id is None:
        cohort_id = allowed[0].id if allowed else None
    if not isinstance(cohort_id, str | type(None)) or (cohort_id is not None and not scope.allows(cohort_id)):
        raise NotFound(_("There is no such cohort for you."))
    page = data.get("page", 1)
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise InvalidInput(_("The field 'page' must be a whole number from 1."))
    block_cohort = known.get(cohort_id) if cohort_id is not None else None
    # Every group of the cohort with its size and since when it waits for newcomers (one query).
    clocked = (
        list(
            small_groups.with_clock(CoachingGroup.objects.filter(cohort=block_cohort))
            .order_by("number")
            .values_list("pk", "number", "size", "waits_since", "arranged")
        )
        if block_cohort
        else []
    )
    groups = [(pk, number) for pk, number, size, *_rest in clocked if size]  # an emptied group is not listed
    page_groups = groups[(page - 1) * GROUPS_PER_PAGE : page * GROUPS_PER_PAGE]
    # Each member's progress only for the groups shown; the chart and counts from aggregates.
    members, records = _member_records(exercise, [pk for pk, _number in page_groups], now)
    if records:
        _reflection_counts(exercise, block_cohort, records)
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for member in members:
        by_group[member.group_id].append(member)
    done = _chart_counts(exercise, block_cohort) if block_cohort else {}
    chart = [
        {"stage_id": stage.id, "title": _(stage.title), "done": done.get(stage.id, 0)} for stage in exercise.stages
    ]
    counts = {row.cohort_id: row.learners for row in known.values()}
    groups_json = []
    for group_id, number in page_groups:
        member_rows = []
        for member in by_group[group_id]:
            record = records[member.pk]
            member_rows.append(
                {
                    "id": member.member_id,
                    "name": member.name,
                    "username": member.username,
                    "stages": {stage.id: _stage_state(stage, record) for stage in exercise.stages},
                    "last_activity": member.last_activity.isoformat(),
                    "reflections_given": record.reflections_given,
                    "reflections_received": record.reflections_received,
                    "score": _score_json(record, score_override(member)),
                    "state": (state := member_state(record.progress, member.last_activity, now, stall_days)),
                    "stalled": state == STALLED,
                    "waiting": state == WAITING,
                }
            )
        groups_json.append(
            {
                "id": group_id,
                "cohort": block_cohort.name,
                "number": number,
                "name": _("Group {number}").format(number=number),
                "members": member_rows,
                "stalled": bool(member_rows) and all(row["stalled"] for row in member_rows),
                "waiting": bool(member_rows) and all(row["waiting"] for row in member_rows),
            }
        )
    return {
        "cohorts": [{"id": c.id, "name": c.name, "learners": counts.get(c.id, 0)} for c in allowed],
        "cohort": cohort_id,
        "stages": stage_list(exercise),
        "groups": groups_json,
        "page": page,
        "pages": max(1, -(-len(groups) // GROUPS_PER_PAGE)),
        "chart": chart,
        "learners": counts.get(cohort_id, 0) if block_cohort else 0,
        "flags": flag_queue(exercise, scope, {cohort_id}),  # the selected cohort's, as everything here
        "scoped": scope.is_limited,
        "stall_days": stall_days,
        "regrouping": _regrouping_note(exercise, cohort_id, clocked, now),
        "outcomes": outcome_figures(exercise, scope, cohort_id),
    }


def stage_list(exercise: Exercise) -> list[dict]:
    """The stages as facilitators read them: with the author's notes for facilitators (the rule's
    ``facilitation_note``; a template's notes in the reader's language)."""
    guide = reads(vis.FACILITATOR, vis.FACILITATION_NOTE)
    return [
        {
            "id": stage.id,
            "title": _(stage.title),
            "kind": stage.kind,
            "notes": _(stage.facilitator_notes) if guide and stage.facilitator_notes else "",
        }
        for stage in exercise.stages
    ]


def _regrouping_note(exercise: Exercise, cohort_id, clocked: list, now: datetime) -> dict:
    """The automatic merges of small groups in this cohort: the switch, what was merged, what still waits.

    ``waiting``: groups below three that waited the author's delay (3 days where there is none),
    each with why it is still there: ``next_run`` (the command merges it when it next runs),
    ``no_room`` (no group of the cohort has room for it within the group size), ``arranged``
    (a facilitator formed or changed it by hand) or ``off`` (automatic merges are off).
    """
    unit = small_groups.unit_regrouping(exercise.block_id)
    days = exercise.regroup_days
    on = unit["enabled"] and days > 0
    cutoff = now - timedelta(days=days or REGROUP_DAYS_DEFAULT)
    waiting = [
        (number, size, since, arranged is not None)
        for _pk, number, size, since, arranged in clocked
        if 0 < size < GROUP_SIZE_MIN and since is not None and since <= cutoff
    ]
    sizes = {number: size for _pk, number, size, _since, _arranged in clocked}
    due = [number for number, _size, _since, arranged in waiting if not arranged]
    planned = {number for number, _into in plan_merges(sizes, due, exercise.group_size)} if on else set()

    def why(number: int, arranged: bool) -> str:
        if arranged:
            return "arranged"
        if not on:
            return "off"
        return "next_run" if number in planned else "no_room"

    return {
        "enabled": unit["enabled"],
        "days": days,
        "merges": [merge for merge in unit["merges"] if merge["cohort"] == cohort_id],
        "waiting": [
            {"number": number, "members": size, "since": since.isoformat(), "reason": why(number, arranged)}
            for number, size, since, arranged in waiting
        ],
    }

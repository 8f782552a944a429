"""What needs a facilitator's attention first, for one cohort or all of theirs: the dashboard's triage list.

Open flags, learners waiting for peers, stalled learners (they could act and have not), enrolled
learners who never opened the unit, and groups below three. Each line names the group it is
about, so that the dashboard links to it and offers the action that resolves it. Names only:
no learner's text is in the list (the flags' texts stay in the flag queue, under the rule).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ...exercise.exercise import Exercise
from ...exercise.grouping import GROUP_SIZE_MIN
from ...i18n import gettext as _
from ...models import BlockCohort, CoachingGroup, Membership
from ...platform import CohortRef, EnrolledLearner
from .. import one_to_one
from ..errors import NotFound
from ..progress import STALLED, WAITING, member_state
from ..validation import require_object
from .moderation import flag_queue
from .records import _member_records
from .scope import Scope

ALL = "all"
#: Groups read at once for their members' states (three queries a batch).
BATCH = 500


def _cohorts(scope: Scope, cohorts: list[CohortRef], known: dict, data) -> list[str]:
    """The platform cohort ids the list covers: the one asked for, or ``"all"`` the facilitator's."""
    asked = data.get("cohort", ALL)
    allowed = [c.id for c in cohorts if scope.allows(c.id)] or [c for c in known if scope.allows(c)]
    if asked == ALL:
        return allowed
    if not isinstance(asked, str) or asked not in allowed:
        raise NotFound(_("There is no such cohort for you."))
    return [asked]


def triage(
    exercise: Exercise,
    scope: Scope,
    cohorts: list[CohortRef],
    enrolled: list[EnrolledLearner] | None,
    data,
    now: datetime | None = None,
) -> dict:
    """``{"cohorts", "flags", "waiting", "stalled", "never_opened", "small_groups"}`` for the cohort(s).

    ``enrolled``: the course's learners from the host (None where it cannot tell, as for teams).
    Members' states follow ``progress.member_state``: waiting for peers is never stalled.
    """
    now = now or timezone.now()
    data = require_object(data)
    known = {row.cohort_id: row for row in BlockCohort.objects.filter(block_id=exercise.block_id)}
    chosen = _cohorts(scope, cohorts, known, data)
    names = {cid: row.name for cid, row in known.items()} | {c.id: c.name for c in cohorts}
    block_cohorts = [known[c].pk for c in chosen if c in known]
    groups = list(
        CoachingGroup.objects.filter(cohort_id__in=block_cohorts)
        .select_related("cohort")
        .order_by("cohort__name", "cohort_id", "number")
    )
    by_id = {group.pk: group for group in groups}
    waiting, stalled, answered, sizes = [], [], [], dict.fromkeys(by_id, 0)
    for start in range(0, len(groups), BATCH):
        members, records = _member_records(exercise, [g.pk for g in groups[start : start + BATCH]], now)
        waiting_answer = one_to_one.answered([member.pk for member in members])
        for member in members:
            sizes[member.group_id] += 1
            state = member_state(records[member.pk].progress, member.last_activity, now, exercise.stall_days)
            if state in (WAITING, STALLED):
                group = by_id[member.group_id]
                line = {
                    "member_id": member.member_id,
                    "name": member.name,
                    "group_id": group.pk,
                    "group": group.number,
                    "cohort": group.cohort.name,
                    "last_activity": member.last_activity.isoformat(),
                }
                (waiting if state == WAITING else stalled).append(line)
            if member.pk in waiting_answer:
                group = by_id[member.group_id]
                answered.append(
                    {
                        "member_id": member.member_id,
                        "name": member.name,
                        "group_id": group.pk,
                        "group": group.number,
                        "cohort": group.cohort.name,
                        "at": waiting_answer[member.pk].isoformat(),
                    }
                )
    opened = set(Membership.objects.filter(block_id=exercise.block_id).values_list("user_id", flat=True))
    # A facilitator of every cohort, asking for all, also hears of learners not yet in any cohort.
    everyone = data.get("cohort", ALL) == ALL and not scope.is_limited
    never = (
        [
            {"username": learner.username, "name": learner.name, "cohort": names.get(learner.cohort_id, "")}
            for learner in enrolled
            if (everyone or learner.cohort_id in chosen) and learner.user_id not in opened
        ]
        if enrolled is not None
        else None
    )
    return {
        "cohorts": chosen,
        "flags": [
            {
                "id": flag["id"],
                "kind": flag["kind"],
                "group_id": flag["group_id"],
                "group": flag["group"],
                "cohort": flag["cohort"],
                "created": flag["created"],
            }
            for flag in flag_queue(exercise, scope, set(chosen))
        ],
        "waiting": waiting,
        "stalled": stalled,
        "answered": answered,  # learners who answered a facilitator one to one, not answered since
        "never_opened": never,
        "small_groups": [
            {"group_id": pk, "group": by_id[pk].number, "cohort": by_id[pk].cohort.name, "members": size}
            for pk, size in sizes.items()
            if 0 < size < GROUP_SIZE_MIN
        ],
    }

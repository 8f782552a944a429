"""A facilitator's scope: the cohorts they act in, and the groups and learners inside it.

A group or learner outside the facilitator's cohorts answers 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import CoachingGroup, FacilitatorScope, Membership
from ...platform import Person
from ..errors import Forbidden, InvalidInput, NotFound


@dataclass(frozen=True)
class Scope:
    """The cohorts a facilitator acts in: all of them, or the named ones."""

    username: str
    cohort_ids: frozenset[str] | None  # None: every cohort

    @property
    def is_limited(self) -> bool:
        return self.cohort_ids is not None

    def allows(self, cohort_id: str) -> bool:
        return self.cohort_ids is None or cohort_id in self.cohort_ids


def facilitator_scope(exercise: Exercise, person: Person | None) -> Scope:
    """The scope of a course staff member; 403 for anyone else, whatever they asked."""
    if person is None or not person.is_staff:
        raise Forbidden(_("Only the course's facilitators can do this."))
    cohorts = set(
        FacilitatorScope.objects.filter(course_id=exercise.course_id, username=person.username).values_list(
            "cohort_id", flat=True
        )
    )
    return Scope(person.username, frozenset(cohorts) if cohorts else None)


def _group_in_scope(exercise: Exercise, scope: Scope, group_id) -> CoachingGroup:
    if isinstance(group_id, bool) or not isinstance(group_id, int) or not 0 < group_id < 2**63:
        raise InvalidInput(_("The field 'group_id' must be a whole number."))
    group = (
        CoachingGroup.objects.select_related("cohort").filter(pk=group_id, cohort__block_id=exercise.block_id).first()
    )
    if group is None or not scope.allows(group.cohort.cohort_id):
        raise NotFound(_("There is no such group for you."))
    return group


#: The most groups one bulk action takes.
GROUPS_AT_ONCE = 500


def groups_in_scope(exercise: Exercise, scope: Scope, ids) -> list[CoachingGroup]:
    """The groups a bulk action names (``group_ids``: 1 to 500 ids, each once), all in the facilitator's
    scope: every one is checked before any is acted on, and one outside it answers 404 for all."""
    if (
        not isinstance(ids, list)
        or not 0 < len(ids) <= GROUPS_AT_ONCE
        or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)
    ):
        raise InvalidInput(_("The field 'group_ids' must list 1 to 500 groups."))
    return [_group_in_scope(exercise, scope, group_id) for group_id in dict.fromkeys(ids)]


def _member_in_scope(exercise: Exercise, scope: Scope, member_id) -> Membership:
    if not isinstance(member_id, str) or not member_id or len(member_id) > 32:
        raise InvalidInput(_("The field 'member_id' must be a member id."))
    member = (
        Membership.objects.select_related("group__cohort")
        .filter(member_id=member_id, block_id=exercise.block_id)
        .first()
    )
    if member is None or not scope.allows(member.group.cohort.cohort_id):
        raise NotFound(_("There is no such learner for you."))
    return member

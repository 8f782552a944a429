"""Joining a small group: inside the learner's cohort, in order of arrival, never beyond the size."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery

from ..exercise.exercise import Exercise
from ..exercise.grouping import choose_group, choose_pseudonym
from ..exercise.scoring import Score
from ..models import BlockCohort, CoachingGroup, Membership, ScoreOverride, StageOpening, ThemeTag
from ..platform import CohortRef, Person


def member_facts(exercise: Exercise) -> dict:
    """Annotations that bring, with each Membership row, what progress and scores need beyond it.

    ``opened_<i>``: whether a facilitator opened the exercise's i-th stage for the member's group;
    ``tagged``: whether the member tagged a theme; ``override_earned`` and ``override_possible``:
    the member's latest score override (None without one). Read them with ``opened_stages`` and
    ``score_override``.
    """
    latest_override = ScoreOverride.objects.filter(member=OuterRef("pk")).order_by("-created", "-id")
    return {
        "tagged": Exists(ThemeTag.objects.filter(member=OuterRef("pk"))),
        "override_earned": Subquery(latest_override.values("earned")[:1]),
        "override_possible": Subquery(latest_override.values("possible")[:1]),
        **{
            f"opened_{index}": Exists(StageOpening.objects.filter(group_id=OuterRef("group_id"), stage_id=stage.id))
            for index, stage in enumerate(exercise.stages)
        },
    }


def opened_stages(exercise: Exercise, member: Membership) -> frozenset[str]:
    """The stages a facilitator opened for the member's group, from a row with ``member_facts``."""
    return frozenset(stage.id for index, stage in enumerate(exercise.stages) if getattr(member, f"opened_{index}"))


def score_override(member: Membership) -> Score | None:
    """The member's latest score override, from a row with ``member_facts``."""
    if member.override_earned is None:
        return None
    return Score(member.override_earned, member.override_possible)


def group_of(exercise: Exercise, **member) -> list[Membership]:
    """Every member of the group of the membership that ``member`` names, in one query.

    Each row comes with its group, cohort and plan, and with ``member_facts``.
    """
    return list(
        Membership.objects.filter(**{f"group__memberships__{name}": value for name, value in member.items()})
        .select_related("group__cohort", "group__plan__updated_by")
        .annotate(**member_facts(exercise))
    )


def find_membership(exercise: Exercise, person: Person) -> Membership | None:
    """The learner's membership in this block, or None, in one query.

    It comes with its group, cohort and plan, and with the rows of its whole group in
    ``group_members`` (``group_of``), which the learner's view then needs no query for.
    """
    members = group_of(exercise, block_id=exercise.block_id, learner_key=person.key)
    membership = next((member for member in members if member.learner_key == person.key), None)
    if membership is not None:
        membership.group_members = members
    return membership


def _block_cohort(exercise: Exercise, cohort: CohortRef) -> BlockCohort:
    """The block's row for this cohort, created on first use (safe when two create it at once)."""
    lookup = {"block_id": exercise.block_id, "cohort_id": cohort.id}
    found = BlockCohort.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return BlockCohort.objects.create(course_id=exercise.course_id, name=cohort.name, **lookup)
    except IntegrityError:
        return BlockCohort.objects.get(**lookup)


def join_group(exercise: Exercise, person: Person, cohort: CohortRef) -> Membership:
    """Place the learner in a group of their cohort, or return the group they are already in.

    Membership is recorded once and then stays, even if the learner's cohort changes later.
    Joiners of one cohort are serialised by updating the cohort's row before reading group
    sizes: on MySQL and PostgreSQL that locks the row, on SQLite it takes the write lock. So
    two learners arriving together never overfill a group, and the unique constraint on
    (block, learner) keeps one learner from landing in two groups.
    """
    existing = find_membership(exercise, person)
    if existing is not None:
        return existing
    block_cohort = _block_cohort(exercise, cohort)
    try:
        with transaction.atomic():
            BlockCohort.objects.filter(pk=block_cohort.pk).update(joins=F("joins") + 1)
            existing = find_membership(exercise, person)
            if existing is not None:
                return existing
            counts = dict(
                CoachingGroup.objects.filter(cohort=block_cohort)
                .annotate(size=Count("memberships"))
                .values_list("number", "size")
            )
            number = choose_group(counts, exercise.group_size)
            group, _ = CoachingGroup.objects.get_or_create(cohort=block_cohort, number=number)
            taken = set(Membership.objects.filter(group=group).values_list("pseudonym", flat=True))
            membership = Membership.objects.create(
                pseudonym=choose_pseudonym(taken),
                group=group,
                block_id=exercise.block_id,
                learner_key=person.key,
                user_id=person.user_id,
                name=person.name,
                username=person.username,
            )
    except IntegrityError:
        # The same learner joined in a parallel request that committed first.
        membership = find_membership(exercise, person)
        if membership is None:
            raise
    return membership


def refresh_name(membership: Membership, person: Person) -> None:
    """Keep the stored name and username in step with the platform's (a query only when they changed)."""
    if (person.name, person.username) != (membership.name, membership.username) and person.name:
        Membership.objects.filter(pk=membership.pk).update(name=person.name, username=person.username)
        membership.name, membership.username = person.name, person.username

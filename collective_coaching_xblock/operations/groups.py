"""Joining a small group: inside the learner's cohort, in order of arrival, never beyond the size."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Aggregate, CharField, Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from ..exercise.exercise import Exercise
from ..exercise.grouping import choose_group, choose_pseudonym
from ..exercise.scoring import Score
from ..models import (
    BlockCohort,
    CoachingGroup,
    Flag,
    Membership,
    PrivateMessage,
    ScoreOverride,
    StageOpening,
    ThemeTag,
)
from ..platform import CohortRef, Person
from .compiled import CompiledQuery


class _GroupConcat(Aggregate):
    """The values of a group of rows joined by commas: GROUP_CONCAT on MySQL, MariaDB and SQLite.

    Open edX runs on MySQL; these are the databases the block supports. The values joined here
    are stage ids and ``kind:id`` pairs, which hold no comma.
    """

    function = "GROUP_CONCAT"
    output_field = CharField()


def _joined(queryset, group_field: str, value):
    """``value`` over the rows of ``queryset`` that share the outer row's ``group_field``, comma-joined."""
    rows = queryset.order_by().values(group_field)
    return Subquery(rows.annotate(joined=_GroupConcat(value)).values("joined")[:1])


def member_facts(*, tagged: bool = False, thread: bool = False) -> dict:
    """Annotations that bring, with each Membership row, what its view needs beyond the row.

    ``opened``: the stages a facilitator opened for the member's group; ``reported``: what the
    member reported, as ``kind:id`` pairs; ``override_earned`` and ``override_possible``: their
    latest score override (None without one); with ``tagged``, whether they tagged a theme; with
    ``thread`` (the learner's view), ``has_thread``: whether a facilitator wrote to them. Read
    them with ``opened_stages``, ``reported_items`` and ``score_override``. Each is one subquery:
    the whole row stays one query.
    """
    latest_override = ScoreOverride.objects.filter(member=OuterRef("pk")).order_by("-created", "-id")
    facts = {
        "opened": _joined(StageOpening.objects.filter(group_id=OuterRef("group_id")), "group_id", "stage_id"),
        "reported": _joined(
            Flag.objects.filter(reporter=OuterRef("pk")),
            "reporter_id",
            Concat("kind", Value(":"), Cast("object_id", CharField())),
        ),
        "override_earned": Subquery(latest_override.values("earned")[:1]),
        "override_possible": Subquery(latest_override.values("possible")[:1]),
    }
    if thread:
        facts["has_thread"] = Exists(PrivateMessage.objects.filter(member=OuterRef("pk")))
    if tagged:
        facts["tagged"] = Exists(ThemeTag.objects.filter(member=OuterRef("pk")))
    return facts


def opened_stages(member: Membership) -> frozenset[str]:
    """The stages a facilitator opened for the member's group, from a row with ``member_facts``."""
    return frozenset(member.opened.split(",")) if member.opened else frozenset()


def reported_items(member: Membership) -> set[tuple[str, int]]:
    """What the member reported, as (kind, id), from a row with ``member_facts``."""
    pairs = (pair.partition(":") for pair in member.reported.split(",")) if member.reported else ()
    return {(kind, int(object_id)) for kind, _colon, object_id in pairs}


def score_override(member: Membership) -> Score | None:
    """The member's latest score override, from a row with ``member_facts``."""
    if member.override_earned is None:
        return None
    return Score(member.override_earned, member.override_possible)


def _group_of_member(**member):
    members = Membership.objects.select_related("group__cohort", "group__plan").annotate(**member_facts(thread=True))
    return members.filter(**{f"group__memberships__{name}": value for name, value in member.items()})


# Run on every learner request: compiled once (see compiled.py). The stand-ins are values no
# block or learner has.
_BY_KEY = CompiledQuery(_group_of_member, block_id="\x00block", learner_key="\x00learner")
_BY_PK = CompiledQuery(_group_of_member, pk=-7_340_033)


def group_of(**member) -> list[Membership]:
    """Every member of the group of the membership that ``member`` names, in one query.

    ``member`` is ``block_id`` and ``learner_key``, or ``pk``. Each row comes with its group,
    cohort and plan, and with ``member_facts``.
    """
    return (_BY_PK if "pk" in member else _BY_KEY).run(**member)


def find_membership(exercise: Exercise, person: Person) -> Membership | None:
    """The learner's membership in this block, or None, in one query.

    It comes with its group, cohort and plan, and with the rows of its whole group in
    ``group_members`` (``group_of``), which the learner's view then needs no query for.
    """
    members = group_of(block_id=exercise.block_id, learner_key=person.key)
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

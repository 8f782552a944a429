"""The dashboard's chart and reflection counts for a whole cohort, from aggregate queries.

The chart follows the rules of ``progress.progress_by_member`` (a stage is done, whatever its
dates or pace, when its completion rule is met), as SQL over the whole cohort: no member's rows
come into Python.
"""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Trim

from ...exercise import stages as st
from ...exercise.exercise import Exercise
from ...models import CONSENT_GIVEN, CONSENT_NOT_ASKED, BlockCohort, Contribution, Membership, Reflection, ThemeTag
from ..progress import MemberRecord


def _count(queryset):
    """The number of rows of ``queryset`` (which may refer to the outer query), as a subquery."""
    counted = queryset.order_by().values(n=Func("pk", function="COUNT", output_field=IntegerField()))
    return Coalesce(Subquery(counted), Value(0))


def _consenting(exercise: Exercise, queryset, author: str):
    """Rows of ``queryset`` whose ``author`` (a path to a membership) consents (``reading.consents``)."""
    given = [CONSENT_GIVEN]
    if exercise.first_stage_of_kind(st.CONTRACT) is None:
        given.append(CONSENT_NOT_ASKED)
    return queryset.filter(**{f"{author}__consent__in": given})


def _shared_stories(exercise: Exercise, *, hidden_too: bool = False):
    """Stories their group can read (``visibility.shared_with_group``); ``hidden_too``: as shared by
    their author, whatever a facilitator hid (``reading.Rows.has_shared_story``)."""
    stories = Contribution.objects.filter(
        stage_id__in=exercise.story_stage_ids, sharing=st.SHARE_GROUP, state=Contribution.ACTIVE
    )
    if not hidden_too:
        stories = stories.filter(hidden=False)
    return _consenting(exercise, stories, "author")


def _witness_done(exercise: Exercise, witness: st.Stage) -> tuple[dict, Q]:
    """Annotations of a member and the condition under which they have done the witness stage.

    As ``progress.progress_by_member``: every reflection a member wrote counts (decision 0010);
    done after ``required`` of them, or on every story they could witness (their group's shared
    stories and those they witnessed) when fewer; or done in a former group (carried).
    """
    peer_stories = (
        _shared_stories(exercise).filter(author__group_id=OuterRef("group_id")).exclude(author_id=OuterRef("pk"))
    )
    given = Reflection.objects.filter(author_id=OuterRef("pk")).exclude(contribution__author_id=OuterRef("pk"))
    # Reflections on stories that are also among the group's shared stories (counted once).
    overlap = _consenting(
        exercise,
        given.filter(
            contribution__stage_id__in=exercise.story_stage_ids,
            contribution__sharing=st.SHARE_GROUP,
            contribution__state=Contribution.ACTIVE,
            contribution__hidden=False,
            contribution__author__group_id=OuterRef("group_id"),
        ),
        "contribution__author",
    )
    annotations = {
        "peer_stories": _count(peer_stories),
        "given": _count(given),
        "overlap": _count(overlap),
        "carried": Cast("carried_stages", TextField()),
    }
    witnessable = F("peer_stories") + F("given") - F("overlap")
    # st.witness_complete: something to witness, and min(required, witnessable) of it witnessed
    done = (Q(peer_stories__gt=0) | Q(given__gt=0)) & (
        Q(given__gte=exercise.required_reflections) | Q(given__gte=witnessable)
    )
    if exercise.peers_after_own_story and exercise.story_stage_ids:  # may read peers' stories only after sharing
        annotations["sharer"] = Exists(_shared_stories(exercise, hidden_too=True).filter(author_id=OuterRef("pk")))
        done &= Q(sharer=True)
    return annotations, done | Q(carried__contains=f'"{witness.id}"')


def _chart_counts(exercise: Exercise, block_cohort: BlockCohort) -> dict[str, int]:
    """How many members of the cohort have done each stage: one aggregate query."""
    members = Membership.objects.filter(group__cohort=block_cohort)
    witness = exercise.first_stage_of_kind(st.WITNESS)
    themes = exercise.first_stage_of_kind(st.THEMES)
    flags = {}  # stage index -> a condition on one member: the stage is done
    for index, stage in enumerate(exercise.stages):
        if stage.kind in st.CONTRIBUTION_KINDS:  # progress.is_written
            written = Contribution.objects.filter(
                author_id=OuterRef("pk"), stage_id=stage.id, state=Contribution.ACTIVE
            )
            if stage.kind != st.CONTRACT:
                written = written.annotate(trimmed=Trim("text")).exclude(trimmed="")
            flags[index] = Q(Exists(written))
        elif witness is not None and stage.id == witness.id:
            annotations, done = _witness_done(exercise, witness)
            members = members.annotate(**annotations)
            flags[index] = done
        elif themes is not None and stage.id == themes.id:
            flags[index] = Q(Exists(ThemeTag.objects.filter(member_id=OuterRef("pk"))))
    if not flags:
        return {}
    members = members.annotate(
        **{f"done_{index}": Case(When(flag, then=Value(1)), default=Value(0)) for index, flag in flags.items()}
    )
    totals = members.aggregate(**{f"stage_{index}": Sum(f"done_{index}") for index in flags})
    return {stage.id: totals.get(f"stage_{index}") or 0 for index, stage in enumerate(exercise.stages)}


def _reflection_counts(exercise: Exercise, block_cohort: BlockCohort, records: dict[int, MemberRecord]) -> None:
    """Reflections given and received by these members, counted over their whole cohort.

    A member's record comes from their own group's rows; a reflection may cross groups (a member
    moved), so these two counts are read for the cohort, by one aggregate query.
    """
    members = list(records)
    given = (
        Reflection.objects.filter(author_id__in=members)
        .order_by()
        .values_list("author_id")
        .annotate(n=Count("contribution_id"), received=Value(False))
    )
    received = (
        Reflection.objects.filter(contribution__author_id__in=members)
        .order_by()
        .values_list("contribution__author_id")
        .annotate(n=Count("id"), received=Value(True))
    )
    for record in records.values():
        record.reflections_given = record.reflections_received = 0
    for member_pk, n, is_received in given.union(received, all=True):
        if is_received:
            records[member_pk].reflections_received = n
        else:
            records[member_pk].reflections_given = n

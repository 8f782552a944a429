"""Regrouping: moving a learner, splitting a group and merging two; work done stays done."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from ...exercise import stages as st
from ...exercise.exercise import Exercise
from ...exercise.grouping import GROUP_SIZE_MAX, choose_pseudonym
from ...i18n import gettext as _
from ...models import BlockCohort, CoachingGroup, Contribution, Membership
from ..errors import InvalidInput
from ..progress import group_sharing
from ..validation import bool_field, require_object
from .records import _member_records
from .scope import Scope, _group_in_scope, _member_in_scope


def lock_cohort(cohort_pk: int) -> None:
    """Inside a transaction: queue behind joins and other regroupings of the same cohort."""
    BlockCohort.objects.filter(pk=cohort_pk).update(joins=F("joins") + 1)


def _arranged(group_ids: list[int], now: datetime) -> None:
    """A facilitator moved people into or out of these groups: automatic merges leave them be."""
    CoachingGroup.objects.filter(pk__in=group_ids).update(arranged=now)


def _move(member: Membership, group: CoachingGroup) -> None:
    taken = set(Membership.objects.filter(group=group).values_list("pseudonym", flat=True))
    pseudonym = member.pseudonym if member.pseudonym not in taken else choose_pseudonym(taken)
    Membership.objects.filter(pk=member.pk).update(group=group, pseudonym=pseudonym)


def _keep_work(exercise: Exercise, group_ids: list[int], now: datetime) -> None:
    """Before a regrouping: the stages each member of these groups has done because of their group
    (witnessing) stay done, wherever they go and whoever joins them (docs/decisions/0010)."""
    witness_stages = {stage.id for stage in exercise.stages if stage.kind == st.WITNESS}
    members, records = _member_records(exercise, group_ids, now)
    for member in members:
        carried = set(member.carried_stages or ())
        keep = carried | (set(records[member.pk].progress.done) & witness_stages)
        if keep != carried:
            Membership.objects.filter(pk=member.pk).update(carried_stages=sorted(keep))


def regroup_preview(exercise: Exercise, moving: list[Membership], source_id: int, target: CoachingGroup) -> dict:
    """What a move or merge would do, changing nothing: the size after (and whether it is above the
    unit's group size), whether the group left behind is empty, and who gains stories to witness.

    Stories count as the group can read them (shared with the group, consent standing, not hidden):
    each side gains the other's. Two queries: the groups' members and their contributions.
    """
    members = list(Membership.objects.filter(group_id__in=[source_id, target.pk]))
    moving_ids = {m.pk for m in moving}
    staying = [m for m in members if m.group_id == target.pk]
    readable = group_sharing(exercise, members, Contribution.objects.filter(author__in=members)).stories
    by_author: dict[int, int] = {}
    for author in readable.values():
        by_author[author] = by_author.get(author, 0) + 1
    gains = []
    for person in [*staying, *(m for m in members if m.pk in moving_ids)]:
        others = moving_ids if person.pk not in moving_ids else {m.pk for m in staying}
        count = sum(by_author.get(pk, 0) for pk in others)
        if count:
            gains.append({"member_id": person.member_id, "name": person.name, "stories": count})
    size_after = len(staying) + len(moving)
    return {
        "size_after": size_after,
        "unit_size": exercise.group_size,
        "above_size": size_after > exercise.group_size,
        "left_empty": not [m for m in members if m.group_id == source_id and m.pk not in moving_ids],
        "new_stories": gains,
    }


def move_member(exercise: Exercise, scope: Scope, data) -> dict:
    """Move a learner to another group of the same cohort; their work moves with them.

    With ``"preview": true``, nothing moves: the answer says what the move would do (``regroup_preview``).
    """
    data = require_object(data)
    preview = bool_field(data, "preview", default=False)
    member = _member_in_scope(exercise, scope, data.get("member_id"))
    group = _group_in_scope(exercise, scope, data.get("group_id"))
    if group.cohort_id != member.group.cohort_id:
        raise InvalidInput(_("A learner can only move to a group of their own cohort."))
    if group.pk == member.group_id:
        if preview:
            raise InvalidInput(_("The learner is in that group already."))
        return {"member": {"id": member.member_id, "group_id": group.pk}}
    if preview:
        return {"preview": regroup_preview(exercise, [member], member.group_id, group)}
    with transaction.atomic():
        lock_cohort(group.cohort_id)
        if Membership.objects.filter(group=group).count() >= GROUP_SIZE_MAX:
            raise InvalidInput(_("That group already has {limit} members.").format(limit=GROUP_SIZE_MAX))
        now = timezone.now()
        _keep_work(exercise, [member.group_id, group.pk], now)
        _move(member, group)
        _arranged([member.group_id, group.pk], now)
    return {"member": {"id": member.member_id, "group_id": group.pk}}


def split_group(exercise: Exercise, scope: Scope, data) -> dict:
    """Move the named members of a group into a new group of the same cohort."""
    data = require_object(data)
    group = _group_in_scope(exercise, scope, data.get("group_id"))
    member_ids = data.get("member_ids")
    if not isinstance(member_ids, list) or not member_ids or not all(isinstance(m, str) for m in member_ids):
        raise InvalidInput(_("The field 'member_ids' must list the members who form the new group."))
    with transaction.atomic():
        lock_cohort(group.cohort_id)
        members = list(Membership.objects.filter(group=group))
        moving = [m for m in members if m.member_id in set(member_ids)]
        if len(moving) != len(set(member_ids)):
            raise InvalidInput(_("Every member to move must belong to the group."))
        if len(moving) == len(members):
            raise InvalidInput(_("Leave at least one member in the group."))
        now = timezone.now()
        _keep_work(exercise, [group.pk], now)
        number = (CoachingGroup.objects.filter(cohort_id=group.cohort_id).aggregate(n=Max("number"))["n"] or 0) + 1
        new_group = CoachingGroup.objects.create(cohort_id=group.cohort_id, number=number, arranged=now)
        for member in moving:
            _move(member, new_group)
        _arranged([group.pk], now)
    return {"group": {"id": new_group.pk, "number": number, "members": [m.member_id for m in moving]}}


def merge_groups(exercise: Exercise, scope: Scope, data) -> dict:
    """Move every member of one group into another group of the same cohort (``"preview": true``: say
    what it would do, and do nothing)."""
    data = require_object(data)
    preview = bool_field(data, "preview", default=False)
    source = _group_in_scope(exercise, scope, data.get("group_id"))
    target = _group_in_scope(exercise, scope, data.get("into_group_id"))
    if source.pk == target.pk or source.cohort_id != target.cohort_id:
        raise InvalidInput(_("Merge two different groups of the same cohort."))
    if preview:
        return {"preview": regroup_preview(exercise, list(Membership.objects.filter(group=source)), source.pk, target)}
    with transaction.atomic():
        lock_cohort(source.cohort_id)
        moving = list(Membership.objects.filter(group=source))
        if len(moving) + Membership.objects.filter(group=target).count() > GROUP_SIZE_MAX:
            raise InvalidInput(_("A merged group can have at most {limit} members.").format(limit=GROUP_SIZE_MAX))
        now = timezone.now()
        merge_into(exercise, moving, [source.pk, target.pk], target, now)
        _arranged([source.pk, target.pk], now)
    return {"group": {"id": target.pk, "moved": [m.member_id for m in moving]}}


def merge_into(exercise: Exercise, moving: list[Membership], group_ids: list[int], target: CoachingGroup, now) -> None:
    """Inside a transaction that holds the cohort's lock: move ``moving`` into ``target``, keeping
    the work of every member of the groups ``group_ids`` (those the move touches)."""
    _keep_work(exercise, group_ids, now)
    for member in moving:
        _move(member, target)

"""Groups below three do not wait forever: merged into another group of their cohort after a delay.

The course author sets the delay (``Exercise.regroup_days``, 3 days unless set, 0 for never);
a facilitator can turn the merges off for the unit (``RegroupSwitch``). The management command
``regroup_small_groups`` runs ``regroup_unit`` for each unit that has a group below three; what it
merged is noted for the dashboard (``AutomaticMerge``) and published as an event by the command.

A group waits from its last newcomer (or its forming), and a group a facilitator arranged by
hand (``CoachingGroup.arranged``) is left to them: the automation never undoes a person's choice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from ..exercise.exercise import Exercise
from ..exercise.grouping import GROUP_SIZE_MIN, plan_merges
from ..models import AutomaticMerge, BlockCohort, CoachingGroup, Membership, RegroupSwitch
from .facilitator.regrouping import lock_cohort, merge_into
from .facilitator.scope import groups_in_scope
from .validation import bool_field, require_object

# Bounds how long another process's change could go unseen (the command runs apart from the pages).
CACHE_SECONDS = 300
#: The automatic merges a dashboard lists, newest first.
NOTED_MERGES = 20


@dataclass(frozen=True)
class Merge:
    """One automatic merge: the whole group ``from_number`` moved into group ``into_number``."""

    cohort_id: str  # the platform's cohort id ("" for the block's own pool)
    group_id: int
    from_number: int
    into_number: int
    into_group_id: int
    members: int


def _cache_key(block_id: str) -> str:
    return "collective_coaching.regrouping." + hashlib.sha256(block_id.encode()).hexdigest()


def _forget(block_id: str) -> None:
    key = _cache_key(block_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def unit_regrouping(block_id: str) -> dict:
    """``{"enabled": bool, "merges": [...]}`` for the unit: from the cache, or two queries.

    Pages read it (the dashboard's note, a small group's date) and it changes a few times a
    course: the switch, and the command's merges, both drop the cached value.
    """
    key = _cache_key(block_id)
    found = cache.get(key)
    if found is None:
        switch = RegroupSwitch.objects.filter(block_id=block_id).values_list("enabled", flat=True).first()
        merges = AutomaticMerge.objects.filter(cohort__block_id=block_id).select_related("cohort", "into")
        found = {
            "enabled": switch is not False,
            "merges": [
                {
                    "cohort": merge.cohort.cohort_id,
                    "from_number": merge.from_number,
                    "into_number": merge.into.number,
                    "members": merge.members,
                    "at": merge.created.isoformat(),
                }
                for merge in merges[:NOTED_MERGES]
            ],
        }
        cache.set(key, found, CACHE_SECONDS)
    return found


def set_switch(exercise: Exercise, data, now: datetime | None = None) -> dict:
    """A facilitator turns the automatic merges of the unit on or off (``{"enabled": bool}``). Idempotent."""
    enabled = bool_field(require_object(data), "enabled")
    RegroupSwitch.objects.update_or_create(
        block_id=exercise.block_id, defaults={"enabled": enabled, "changed_at": now or timezone.now()}
    )
    _forget(exercise.block_id)
    return {"auto_regroup": {"enabled": enabled, "days": exercise.regroup_days}}


def with_clock(groups):
    """Groups with their size and since when they wait: their forming or their newest member's joining."""
    return groups.annotate(
        size=Count("memberships"),
        waits_since=Greatest("created", Max("memberships__joined")),
    )


def _waiting(groups, cutoff: datetime):
    """Of ``with_clock`` groups: those below three, not empty, not arranged by hand, waiting since ``cutoff``."""
    return groups.filter(size__gt=0, size__lt=GROUP_SIZE_MIN, arranged__isnull=True, waits_since__lte=cutoff)


def units_with_small_groups(now: datetime) -> list[str]:
    """The units (block ids) where a group below three has waited a day or more: one query.

    A unit's own delay is at least a day; ``regroup_unit`` applies it.
    """
    groups = _waiting(with_clock(CoachingGroup.objects.all()), now - timedelta(days=1))
    return sorted(set(groups.values_list("cohort__block_id", flat=True)))


def merge_by(exercise: Exercise, group: CoachingGroup, size: int, newest_join: datetime, now: datetime):
    """When a learner's group, below three, will be merged if nobody joins; None when it will not."""
    if size >= GROUP_SIZE_MIN or exercise.regroup_days <= 0 or group.arranged is not None:
        return None
    when = max(group.created, newest_join) + timedelta(days=exercise.regroup_days)
    if when <= now or not unit_regrouping(exercise.block_id)["enabled"]:
        return None
    return when


def regroup_unit(exercise: Exercise, now: datetime | None = None, *, dry_run: bool = False) -> list[Merge]:
    """Merge the unit's groups below three that waited the author's delay; what was (or would be) merged.

    Each cohort in its own transaction, behind the cohort's lock (joins and a facilitator's
    regrouping queue behind it), so that the sizes read are the sizes merged. Work done stays
    done (``merge_into``). Running it again merges nothing new unless time or people moved on.
    """
    now = now or timezone.now()
    if exercise.regroup_days <= 0 or not unit_regrouping(exercise.block_id)["enabled"]:
        return []
    cutoff = now - timedelta(days=exercise.regroup_days)
    cohorts = BlockCohort.objects.filter(block_id=exercise.block_id).filter(
        Q(pk__in=_waiting(with_clock(CoachingGroup.objects.all()), cutoff).values("cohort_id"))
    )
    done: list[Merge] = []
    for cohort in cohorts:
        with transaction.atomic():
            if not dry_run:
                lock_cohort(cohort.pk)
            groups = {group.number: group for group in with_clock(CoachingGroup.objects.filter(cohort=cohort))}
            due = [group.number for group in _waiting(with_clock(CoachingGroup.objects.filter(cohort=cohort)), cutoff)]
            sizes = {number: group.size for number, group in groups.items()}
            for from_number, into_number in plan_merges(sizes, sorted(due), exercise.group_size):
                source, target = groups[from_number], groups[into_number]
                merge = Merge(cohort.cohort_id, source.pk, from_number, into_number, target.pk, sizes[from_number])
                done.append(merge)
                if dry_run:
                    continue
                moving = list(Membership.objects.filter(group=source))
                merge_into(exercise, moving, [source.pk, target.pk], target, now)
                AutomaticMerge.objects.create(
                    cohort=cohort, from_number=from_number, into=target, members=len(moving), created=now
                )
    if done and not dry_run:
        _forget(exercise.block_id)
    return done


def regroup_selected(exercise: Exercise, scope, data, now: datetime | None = None) -> dict:
    """A facilitator regroups the learners left alone (or in twos) in the groups they selected, now.

    ``{"group_ids": [...], "preview": bool}``. Of the selected groups, those below three move, as the
    command would move them but without waiting: each into a group of its cohort with room within
    the unit's group size (``plan_merges``). With ``preview``, nothing moves and the answer lists
    the merges it would make. Groups with no room anywhere are named in ``left``.
    """
    now = now or timezone.now()
    data = require_object(data)
    preview = bool_field(data, "preview", default=False)
    selected = groups_in_scope(exercise, scope, data.get("group_ids"))
    merges, left = [], []
    for cohort_pk in sorted({g.cohort_id for g in selected}):
        with transaction.atomic():
            if not preview:
                lock_cohort(cohort_pk)
            groups = {g.number: g for g in with_clock(CoachingGroup.objects.filter(cohort_id=cohort_pk))}
            chosen = sorted(g.number for g in selected if g.cohort_id == cohort_pk)
            small = [n for n in chosen if 0 < groups[n].size < GROUP_SIZE_MIN]
            planned = plan_merges({n: g.size for n, g in groups.items()}, small, exercise.group_size)
            moved = {source for source, _into in planned}
            left += [{"group_id": groups[n].pk, "number": n} for n in small if n not in moved]
            for source_number, into_number in planned:
                source, target = groups[source_number], groups[into_number]
                merges.append(
                    {
                        "group_id": source.pk,
                        "number": source_number,
                        "into_group_id": target.pk,
                        "into_number": into_number,
                        "members": source.size,
                    }
                )
                if not preview:
                    moving = list(Membership.objects.filter(group=source))
                    merge_into(exercise, moving, [source.pk, target.pk], target, now)
                    CoachingGroup.objects.filter(pk__in=[source.pk, target.pk]).update(arranged=now)
    key = "preview" if preview else "regrouped"
    return {key: {"merges": merges, "left": left}}

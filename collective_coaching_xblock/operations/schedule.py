"""Stage dates that facilitators set, laid over the dates the course author configured.

Every request of the block needs them and they change a few times a course, so they are kept in
the platform's cache (memcached or Redis in Open edX, shared by every worker), filled on first
use and dropped whenever a facilitator changes a date: a request then reads them without a
query. The cache holds dates only, never a person's words.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..exercise.exercise import Exercise
from ..models import StageSchedule

# A bound on how long a missed invalidation could last (another process's write, a cache outage).
CACHE_SECONDS = 300


def _cache_key(block_id: str) -> str:
    # memcached keys are at most 250 characters, without spaces: a usage key may be longer.
    return "collective_coaching.schedule." + hashlib.sha256(block_id.encode()).hexdigest()


def _dates(block_id: str) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Stage id -> (opens, closes) that facilitators set for the block: from the cache, or one query."""
    key = _cache_key(block_id)
    dates = cache.get(key)
    if dates is None:
        dates = {
            stage_id: (opens, closes)
            for stage_id, opens, closes in StageSchedule.objects.filter(block_id=block_id).values_list(
                "stage_id", "opens", "closes"
            )
        }
        cache.set(key, dates, CACHE_SECONDS)
    return dates


def with_schedule(exercise: Exercise) -> Exercise:
    """The exercise with the dates facilitators set for its stages (no query once cached)."""
    dates = _dates(exercise.block_id)
    if not dates:
        return exercise
    stages = tuple(
        replace(stage, opens=dates[stage.id][0], closes=dates[stage.id][1]) if stage.id in dates else stage
        for stage in exercise.stages
    )
    return replace(exercise, stages=stages)


def set_dates(block_id: str, stage_id: str, opens, closes, changed_by: str, now: datetime | None = None) -> None:
    """Record a stage's dates for the block, and drop the cached dates now and again at commit.

    Dropping at commit as well keeps a request that read the old rows between the write and the
    commit from leaving them cached.
    """
    StageSchedule.objects.update_or_create(
        block_id=block_id,
        stage_id=stage_id,
        defaults={"opens": opens, "closes": closes, "changed_by": changed_by, "changed_at": now or timezone.now()},
    )
    key = _cache_key(block_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))

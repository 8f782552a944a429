"""A facilitator's daily digest of one unit: what needs their attention that is new since the last one.

New open flags, learners newly stalled (they could act and, since the last digest, passed the
unit's stall days without acting) and learners who answered them one to one. Counts and a link,
never a learner's words or name: the digest goes by email, which leaves the platform. The daily
command ``send_facilitator_digest`` sends it; a facilitator can say no from the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...exercise.exercise import Exercise
from ...models import FacilitatorDigest
from ...platform import CohortRef
from ..validation import bool_field, require_object
from .scope import Scope
from .triage import ALL, triage

#: At most one digest a day per facilitator and unit.
INTERVAL = timedelta(hours=24)


@dataclass(frozen=True)
class Digest:
    """What is new for one facilitator in one unit since their last digest: counts only."""

    flags: int = 0
    stalled: int = 0
    answered: int = 0

    def __bool__(self) -> bool:
        return bool(self.flags or self.stalled or self.answered)


def wants_digest(block_id: str, username: str) -> bool:
    """Whether the facilitator wants the unit's digest (yes until they say no)."""
    choice = FacilitatorDigest.objects.filter(block_id=block_id, username=username).values_list("enabled", flat=True)
    return choice.first() is not False


def set_choice(exercise: Exercise, username: str, data) -> dict:
    """The facilitator's choice for this unit's daily digest (``{"email": bool}``); idempotent."""
    email = bool_field(require_object(data), "email")
    FacilitatorDigest.objects.update_or_create(
        block_id=exercise.block_id, username=username, defaults={"enabled": email}
    )
    return {"digest": email}


@dataclass(frozen=True)
class Due:
    """Whether a facilitator is due the unit's digest, and when their last one went (None: never)."""

    due: bool
    last: datetime | None

    def start(self, now: datetime) -> datetime:
        """Since when the digest counts: the last one, or a day for a first one."""
        return self.last or now - INTERVAL


def due(block_id: str, username: str, now: datetime) -> Due:
    """Due unless they said no, or had the unit's digest in the last day (one query)."""
    row = FacilitatorDigest.objects.filter(block_id=block_id, username=username).first()
    if row is None:
        return Due(True, None)
    return Due(row.enabled and (row.sent_at is None or row.sent_at <= now - INTERVAL), row.sent_at)


def digest_of(exercise: Exercise, scope: Scope, cohorts: list[CohortRef], start: datetime, now: datetime) -> Digest:
    """What is new in the facilitator's cohorts since ``start`` (the triage list, counted by date)."""
    listed = triage(exercise, scope, cohorts, None, {"cohort": ALL}, now)
    stall_start = start - timedelta(days=exercise.stall_days)
    return Digest(
        flags=sum(1 for flag in listed["flags"] if datetime.fromisoformat(flag["created"]) > start),
        stalled=sum(1 for p in listed["stalled"] if datetime.fromisoformat(p["last_activity"]) > stall_start),
        answered=sum(1 for p in listed["answered"] if datetime.fromisoformat(p["at"]) > start),
    )


def claim(block_id: str, username: str, last: datetime | None, now: datetime) -> bool:
    """Record that the digest goes now: only if they still want it and no other run sent it since."""
    FacilitatorDigest.objects.get_or_create(block_id=block_id, username=username)
    unchanged = FacilitatorDigest.objects.filter(block_id=block_id, username=username, enabled=True, sent_at=last)
    return unchanged.update(sent_at=now) == 1


def release(block_id: str, username: str, last: datetime | None, now: datetime) -> None:
    """A digest that could not be sent: due again at the next run."""
    FacilitatorDigest.objects.filter(block_id=block_id, username=username, sent_at=now).update(sent_at=last)

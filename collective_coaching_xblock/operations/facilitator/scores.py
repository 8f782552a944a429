"""Score overrides: a facilitator's score for a learner, with the reason the learner's record keeps."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import ScoreOverride
from ..errors import InvalidInput
from ..validation import require_object, required_text
from .scope import Scope, _member_in_scope


def override_score(exercise: Exercise, scope: Scope, data, *, record, now: datetime | None = None) -> dict:
    """Override a learner's score with a reason; ``record`` sends it where the gradebook reads it."""
    now = now or timezone.now()
    data = require_object(data)
    member = _member_in_scope(exercise, scope, data.get("member_id"))
    possible = sum(stage.weight for stage in exercise.stages if stage.graded)
    score = data.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= possible:
        raise InvalidInput(_("The score must be a whole number from 0 to {possible}.").format(possible=int(possible)))
    reason = required_text(
        data, "reason", max_length=2000, message=_("Give a reason for the override; the learner's record keeps it.")
    )
    with transaction.atomic():
        override = ScoreOverride.objects.create(
            member=member, earned=score, possible=possible, reason=reason, by=scope.username, created=now
        )
        record(
            learner_key=member.learner_key,
            earned=score,
            possible=int(possible),
            by=scope.username,
            reason=reason,
        )
    return {
        "override": {
            "member_id": member.member_id,
            "earned": override.earned,
            "possible": override.possible,
            "reason": override.reason,
            "by": override.by,
            "at": override.created.isoformat(),
        }
    }

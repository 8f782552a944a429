"""Pacing: opening a stage for groups, and setting a stage's dates for the whole block."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ...exercise import stages as st
from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import CoachingGroup, StageOpening
from .. import schedule
from ..errors import Forbidden, InvalidInput, NotFound
from ..validation import require_object, text_field
from .scope import Scope, _group_in_scope, groups_in_scope


def open_stage(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Open a stage for one group (``group_id``), several (``group_ids``, each in scope: a bulk action of
    the dashboard), or every group of a cohort the facilitator may act in (``all``)."""
    now = now or timezone.now()
    data = require_object(data)
    stage_id = text_field(data, "stage_id", max_length=64)
    if exercise.stage(stage_id) is None:
        raise InvalidInput(_("There is no stage '{stage_id}' in this exercise.").format(stage_id=stage_id))
    if data.get("all") is True:
        groups = CoachingGroup.objects.filter(cohort__block_id=exercise.block_id).select_related("cohort")
        cohort = data.get("cohort")
        if cohort is not None:
            if not isinstance(cohort, str) or not scope.allows(cohort):
                raise NotFound(_("There is no such cohort for you."))
            groups = groups.filter(cohort__cohort_id=cohort)
        targets = [g for g in groups if scope.allows(g.cohort.cohort_id)]
    elif "group_ids" in data:
        targets = groups_in_scope(exercise, scope, data["group_ids"])
    else:
        targets = [_group_in_scope(exercise, scope, data.get("group_id"))]
    # Opening twice, or two facilitators at once, leaves one opening per group.
    StageOpening.objects.bulk_create(
        [StageOpening(group=g, stage_id=stage_id, opened_at=now) for g in targets], ignore_conflicts=True
    )
    return {"opened": {"stage_id": stage_id, "groups": sorted(g.pk for g in targets)}}


def _parse_date(data, name):
    value = data.get(name)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise InvalidInput(_("The field '{name}' must be a date and time (ISO 8601).").format(name=name))
    try:
        return st.parse_utc(value)
    except st.NaiveDateError as error:
        raise InvalidInput(_("The field '{name}' needs a time zone.").format(name=name)) from error
    except ValueError as error:
        raise InvalidInput(_("The field '{name}' must be a date and time (ISO 8601).").format(name=name)) from error


def set_stage_dates(exercise: Exercise, scope: Scope, data, now: datetime | None = None) -> dict:
    """Set or extend a stage's open and close dates for the whole block (facilitators of all cohorts)."""
    now = now or timezone.now()
    if scope.is_limited:
        raise Forbidden(_("Only facilitators of every cohort can change a stage's dates."))
    data = require_object(data)
    stage_id = text_field(data, "stage_id", max_length=64)
    if exercise.stage(stage_id) is None:
        raise InvalidInput(_("There is no stage '{stage_id}' in this exercise.").format(stage_id=stage_id))
    opens, closes = _parse_date(data, "opens"), _parse_date(data, "closes")
    if opens and closes and closes < opens:
        raise InvalidInput(_("A stage cannot close before it opens."))
    schedule.set_dates(exercise.block_id, stage_id, opens, closes, scope.username, now)
    return {
        "stage": {
            "id": stage_id,
            "opens": opens.isoformat() if opens else None,
            "closes": closes.isoformat() if closes else None,
        }
    }

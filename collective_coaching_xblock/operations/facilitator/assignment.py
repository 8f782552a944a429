"""Assigning facilitators: limiting one to named cohorts, or lifting the limit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ...exercise.exercise import Exercise
from ...i18n import gettext as _
from ...models import FacilitatorScope
from ...platform import CohortRef
from ..errors import Forbidden, InvalidInput
from ..validation import require_object, text_field
from .scope import Scope


def assign_facilitator(exercise: Exercise, scope: Scope, cohorts: list[CohortRef], data, now=None) -> dict:
    """Limit a facilitator to named cohorts (an empty list lifts the limit). Staff of every cohort only."""
    now = now or timezone.now()
    if scope.is_limited:
        raise Forbidden(_("Only facilitators of every cohort can assign facilitators."))
    data = require_object(data)
    username = text_field(data, "username", max_length=150).strip()
    if not username:
        raise InvalidInput(_("The field 'username' is required."))
    chosen = data.get("cohorts")
    known = {cohort.id for cohort in cohorts}
    if not isinstance(chosen, list) or not all(isinstance(c, str) and c in known for c in chosen):
        raise InvalidInput(_("The field 'cohorts' must list cohort ids of this course."))
    with transaction.atomic():
        FacilitatorScope.objects.filter(course_id=exercise.course_id, username=username).delete()
        FacilitatorScope.objects.bulk_create(
            [
                FacilitatorScope(
                    course_id=exercise.course_id,
                    username=username,
                    cohort_id=c,
                    assigned_by=scope.username,
                    created=now,
                )
                for c in sorted(set(chosen))
            ]
        )
    return {"facilitator": {"username": username, "cohorts": sorted(set(chosen))}}

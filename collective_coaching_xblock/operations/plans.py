"""The group's collective action plan: every member edits it, and no save silently overwrites another."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import GroupPlan, GroupPlanRevision, Membership
from .drafts import drop_drafts
from .errors import Conflict, InvalidInput
from .learner import Outcome, load_learner_view, require_writable
from .validation import require_object, required_text


def _plan_for(group_id: int) -> GroupPlan:
    plan = GroupPlan.objects.filter(group_id=group_id).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            return GroupPlan.objects.create(group_id=group_id)
    except IntegrityError:
        return GroupPlan.objects.get(group_id=group_id)


def save_group_plan(exercise: Exercise, membership: Membership, data, now: datetime | None = None) -> GroupPlan:
    """Save the plan if it is still at ``version``; otherwise 409 with the current text and version.

    The update is conditional on the version in the database, so of two members saving from the
    same version exactly one succeeds and the other is told, with what is there now.
    """
    now = now or timezone.now()
    data = require_object(data)
    text = required_text(
        data, "text", max_length=exercise.max_text_length, message=_("Write the group's plan before you save.")
    )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 0 <= version < 2**31:
        raise InvalidInput(_("The field 'version' must be the plan version you started from (0 for a new plan)."))
    stage = exercise.first_stage_of_kind(st.ACTION)
    if stage is None:
        raise InvalidInput(_("This exercise has no action stage."))
    view = load_learner_view(exercise, membership, now)
    require_writable(view, stage, now)
    rows = view.rows
    plan = rows.plan or _plan_for(rows.membership.group_id)
    with transaction.atomic():
        saved = GroupPlan.objects.filter(pk=plan.pk, version=version).update(
            text=text, version=F("version") + 1, updated_by=membership, updated_at=now
        )
        if saved:
            revision = GroupPlanRevision.objects.create(
                plan=plan, version=version + 1, text=text, author=rows.membership, created=now
            )
            Membership.objects.filter(pk=membership.pk).update(last_activity=now)
            drop_drafts(membership, "plan")
    if not saved:
        plan.refresh_from_db()
        raise Conflict(
            _("Someone in your group saved the plan since you opened it. Here is their version."),
            text=plan.text,
            version=plan.version,
        )
    plan.text, plan.version, plan.updated_by, plan.updated_at = text, version + 1, rows.membership, now
    rows.plan, rows.history = plan, [revision, *rows.history][:20]
    return Outcome(plan, view.after_write(now))

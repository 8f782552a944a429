"""The group's collective action plan: every member edits it, and no save silently overwrites another."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone

from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import GroupPlan, GroupPlanRevision, Membership
from .drafts import drop_drafts
from .errors import Conflict, InvalidInput
from .learner import Outcome, load_learner_view, require_writable, shown_name
from .reading import reads
from .transactions import learner_write
from .validation import require_object, required_text


def _conflict(text: str, version: int) -> Conflict:
    """409: the plan moved on since the learner opened it; here is what is there now."""
    message = _("Someone in your group saved the plan since you opened it. Here is their version.")
    return Conflict(message, text=text, version=version)


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
    plan = rows.plan
    if plan is None and version != 0:
        raise _conflict(text="", version=0)  # the plan this learner started from is no longer there
    # The learner's row is locked first, as in every learner write: the plan's and the revision's
    # foreign keys to it would otherwise take a shared lock before the write lock, and MariaDB kills a
    # request of the same learner waiting in between as a deadlock (docs/decisions/0006).
    try:
        with learner_write(membership, now):
            if plan is None:  # the group's first plan: two members may both start it
                plan = GroupPlan.objects.create(
                    group_id=rows.membership.group_id, text=text, version=1, updated_by=rows.membership, updated_at=now
                )
            elif not GroupPlan.objects.filter(pk=plan.pk, version=version).update(
                text=text, version=F("version") + 1, updated_by=rows.membership, updated_at=now
            ):
                plan.refresh_from_db()
                raise _conflict(text=plan.text, version=plan.version)  # raised inside: nothing is kept
            GroupPlanRevision.objects.create(
                plan=plan, version=version + 1, text=text, author=rows.membership, created=now
            )
            drop_drafts(membership, "plan")
    except IntegrityError:  # another member saved the group's first plan a moment before
        plan = GroupPlan.objects.get(group_id=rows.membership.group_id)
        raise _conflict(text=plan.text, version=plan.version) from None
    plan.text, plan.version, plan.updated_by, plan.updated_at = text, version + 1, rows.membership, now
    rows.plan = plan
    return Outcome(plan, view.after_write(now))


# The earlier versions a learner can read at once: the newest first.
HISTORY_LENGTH = 50


def plan_history(exercise: Exercise, membership: Membership, data) -> dict:
    """The plan's saved versions, newest first, each with its text, who saved it and when (one query).

    Whoever may read the plan (the visibility rule's ``plan``: the group) may read its versions.
    A version saved by someone no longer in the group names nobody.
    """
    require_object(data)
    if membership is None or not reads(vis.GROUP_PEER, vis.PLAN):
        return {"versions": []}
    revisions = GroupPlanRevision.objects.filter(plan__group_id=membership.group_id).select_related("author")
    versions = []
    for revision in revisions.order_by("-version")[:HISTORY_LENGTH]:
        author = revision.author
        in_group = author is not None and author.group_id == membership.group_id
        name = shown_name(exercise, author) if in_group else None
        versions.append(
            {"version": revision.version, "author": name, "at": revision.created.isoformat(), "text": revision.text}
        )
    return {"versions": versions}

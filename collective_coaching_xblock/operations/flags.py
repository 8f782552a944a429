"""Reporting harm: a learner flags a story, reflection or response for the facilitator."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..i18n import gettext as _
from ..models import Flag, Membership
from .errors import InvalidInput, NotFound
from .learner import load_learner_view
from .transactions import learner_write
from .validation import choice_field, id_field, require_object, text_field

REASON_LENGTH = 2000


def flag_content(exercise, membership: Membership, data, now: datetime | None = None) -> Flag:
    """Store a flag with its reason for the facilitator; the item is hidden from the reporter.

    Flagging the same item again (a double click, or a better reason) updates the one flag.
    """
    now = now or timezone.now()
    data = require_object(data)
    kind = choice_field(data, "kind", Flag.KINDS)
    object_id = id_field(data, "id")
    reason = text_field(data, "reason", max_length=REASON_LENGTH)
    if not reason.strip():
        raise InvalidInput(_("Say briefly why you are flagging this."))
    view = load_learner_view(exercise, membership, now)
    me = membership.pk
    if kind == Flag.CONTRIBUTION:
        readable = {c.pk for c in view.contributions if c.author_id != me}
    elif kind == Flag.REFLECTION:
        readable = {r.pk for r in view.reflections if r.author_id != me}
    else:
        readable = {r.pk for r in view.reflections if r.response and r.author_id == me}
    if object_id not in readable and (kind, object_id) not in view.flagged:
        raise NotFound(_("There is no such item in your group."))
    with learner_write(membership, now):
        flag, _created = Flag.objects.update_or_create(
            reporter=membership, kind=kind, object_id=object_id, defaults={"reason": reason, "created": now}
        )
    return flag

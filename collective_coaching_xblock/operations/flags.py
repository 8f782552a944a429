"""Reporting harm: a learner flags a story, reflection or response for the facilitator."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ..i18n import gettext as _
from ..models import Flag, Membership
from .errors import NotFound
from .learner import Outcome, load_learner_view
from .transactions import learner_write
from .validation import choice_field, id_field, require_object, required_text

REASON_LENGTH = 2000


def flag_content(exercise, membership: Membership, data, now: datetime | None = None) -> Flag:
    """Store a flag with its reason for the facilitator; the item is hidden from the reporter.

    Only an item the reporter may read (the visibility rule) can be flagged; anything else
    answers 404, as if it did not exist. The flag keeps a copy of the text as the reporter saw it
    (docs/decisions/0009). Flagging the same item again (a double click, or a better reason)
    updates the one flag and keeps the first copy.
    """
    now = now or timezone.now()
    data = require_object(data)
    kind = choice_field(data, "kind", Flag.KINDS)
    object_id = id_field(data, "id")
    reason = required_text(
        data, "reason", max_length=REASON_LENGTH, message=_("Say briefly why you are flagging this.")
    )
    view = load_learner_view(exercise, membership, now)
    if (kind, object_id) not in view.flaggable and (kind, object_id) not in view.flagged:
        raise NotFound(_("There is no such item in your group."))
    target = view.flaggable.get((kind, object_id))
    with learner_write(membership, now):
        flag = Flag.objects.filter(reporter=membership, kind=kind, object_id=object_id).first()
        if flag is not None:
            changes = {"reason": reason}
            if flag.resolved and target is not None:  # reported again after it was resolved: open it again
                changes.update(
                    resolved=False, resolved_by="", resolved_at=None, copy=_copy_of(kind, target), created=now
                )
            Flag.objects.filter(pk=flag.pk).update(**changes)
            for name, value in changes.items():
                setattr(flag, name, value)
        else:
            flag = Flag.objects.create(
                reporter=membership,
                kind=kind,
                object_id=object_id,
                contribution=target if kind == Flag.CONTRIBUTION else None,
                reflection=target if kind != Flag.CONTRIBUTION else None,
                copy=_copy_of(kind, target),
                reason=reason,
                created=now,
            )
    view.rows.flagged.add((kind, object_id))
    return Outcome(flag, view.after_write(now))


def _copy_of(kind: str, item) -> str:
    """The text of the item as the reporter reads it now."""
    if kind == Flag.CONTRIBUTION:
        return item.text
    if kind == Flag.REFLECTION:
        return "\n".join(str(text) for text in item.answers.values() if str(text).strip())
    return item.response

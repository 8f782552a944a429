"""Drafts: what a learner is still writing, kept on the server every few seconds.

A draft is private to its author (the visibility rule's ``draft``) and is not a submission:
sharing stays an explicit act. Saving the real contribution, reflection, response or plan
deletes the draft of that field.
"""

from __future__ import annotations

import re
from datetime import datetime

from django.utils import timezone

from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import Draft, Membership
from .errors import InvalidInput
from .reading import reads
from .transactions import learner_write
from .validation import require_object, text_field

_KEY = re.compile(
    r"^(contribution:(?P<stage>[\w-]{1,64})|reflection:(?P<story>\d{1,18}):(?P<prompt>[\w-]{1,64})"
    r"|response:(?P<reflection>\d{1,18})|plan)$",
    re.ASCII,
)


def draft_key_is_valid(exercise: Exercise, key: str) -> bool:
    """Whether ``key`` names a field of this exercise a learner writes in."""
    match = _KEY.match(key)
    if match is None:
        return False
    if match["stage"]:
        stage = exercise.stage(match["stage"])
        return stage is not None and stage.kind in (st.NARRATIVE, st.ACTION)
    if match["story"]:
        witness = exercise.first_stage_of_kind(st.WITNESS)
        return witness is not None and any(prompt.id == match["prompt"] for prompt in witness.prompts)
    if match["reflection"]:
        return exercise.first_stage_of_kind(st.NARRATIVE) is not None
    return exercise.first_stage_of_kind(st.ACTION) is not None


def save_draft(exercise: Exercise, membership: Membership, data, now: datetime | None = None) -> dict:
    """Keep the learner's draft of one field (empty text deletes it). Idempotent."""
    now = now or timezone.now()
    data = require_object(data)
    key = text_field(data, "key", max_length=160)
    if not draft_key_is_valid(exercise, key):
        raise InvalidInput(_("There is no such field to keep a draft of."))
    text = text_field(data, "text", max_length=exercise.max_text_length, required=False)
    with learner_write(membership, now):
        if text:
            Draft.objects.update_or_create(member=membership, key=key, defaults={"text": text, "updated": now})
        else:
            Draft.objects.filter(member=membership, key=key).delete()
    return {"draft": {"key": key, "saved": bool(text), "at": now.isoformat()}}


def my_drafts(membership: Membership) -> dict[str, str]:
    """The learner's drafts, by field (one query): only their author may read them."""
    if not reads(vis.AUTHOR, vis.DRAFT):
        return {}
    return dict(Draft.objects.filter(member=membership).values_list("key", "text"))


def drop_drafts(membership: Membership, *keys: str, prefix: str = "") -> None:
    """Inside a learner's write: the drafts of the fields just saved are no longer needed."""
    drafts = Draft.objects.filter(member=membership)
    if prefix:
        drafts.filter(key__startswith=prefix).delete()
    else:
        drafts.filter(key__in=keys).delete()

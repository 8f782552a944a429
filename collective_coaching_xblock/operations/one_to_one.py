"""One to one: a private thread between a learner and the facilitators of their cohort, beside their story.

A facilitator writes first (``write_to_learner``); the learner may answer (``answer_facilitator``).
Only that learner and the facilitators of their cohort read the thread: the visibility rule's
``one_to_one``, asked for each message on every surface (the learner's page, ``group_detail``,
the learner's download). Nobody else, no peer, no event and no course author reads a word of it.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from ..exercise import visibility as vis
from ..i18n import gettext as _
from ..models import Membership, PrivateMessage
from ..platform import Person
from .errors import InvalidInput
from .reading import reads
from .validation import require_object, required_text

MESSAGE_LENGTH = 5000


def thread_json(messages, *, viewer_is_learner: bool) -> list[dict]:
    """The messages the viewer may read, oldest first: who wrote (the learner or a facilitator), when, what."""
    shown = []
    for message in messages:
        # The learner wrote their own messages and is addressed by the others; facilitators read both.
        learner_viewer = vis.ADDRESSEE if message.from_facilitator else vis.AUTHOR
        viewer = learner_viewer if viewer_is_learner else vis.FACILITATOR
        if not reads(viewer, vis.ONE_TO_ONE):
            continue
        shown.append(
            {
                "id": message.pk,
                "from": "facilitator" if message.from_facilitator else "learner",
                "name": message.author_name,
                "text": message.text,
                "at": message.created.isoformat(),
            }
        )
    return shown


def threads_of(member_ids: list[int]) -> dict[int, list[PrivateMessage]]:
    """Each member's thread, oldest message first (one query)."""
    threads: dict[int, list[PrivateMessage]] = {}
    for message in PrivateMessage.objects.filter(member_id__in=member_ids).order_by("created", "id"):
        threads.setdefault(message.member_id, []).append(message)
    return threads


def _text(data) -> str:
    return required_text(
        require_object(data), "text", max_length=MESSAGE_LENGTH, message=_("Write something before you send.")
    )


def write_to_learner(member: Membership, person: Person, data, now: datetime | None = None) -> dict:
    """A facilitator's message to a learner (already checked to be in their scope)."""
    text = _text(data)
    message = PrivateMessage.objects.create(
        member=member,
        from_facilitator=True,
        author_username=person.username,
        author_name=person.name or person.username,
        text=text,
        created=now or timezone.now(),
    )
    thread = threads_of([member.pk]).get(member.pk, [])
    return {
        "message": {"id": message.pk, "member_id": member.member_id},
        "thread": thread_json(thread, viewer_is_learner=False),
    }


def answer_facilitator(membership: Membership | None, data, now: datetime | None = None) -> dict:
    """The learner's answer in their thread; there is a thread only once a facilitator wrote (400 before)."""
    text = _text(data)
    if membership is None or not PrivateMessage.objects.filter(member=membership, from_facilitator=True).exists():
        raise InvalidInput(_("Your facilitator has not written to you yet."))
    message = PrivateMessage.objects.create(
        member=membership, from_facilitator=False, author_name=membership.name, text=text, created=now or timezone.now()
    )
    thread = threads_of([membership.pk]).get(membership.pk, [])
    return {"message": {"id": message.pk}, "thread": thread_json(thread, viewer_is_learner=True)}


def answered(member_ids: list[int]) -> dict[int, datetime]:
    """Of these members, those whose thread ends with their own message (waiting for a facilitator), with
    when they wrote it (one query)."""
    latest = PrivateMessage.objects.filter(member=OuterRef("pk")).order_by("-created", "-id")
    rows = Membership.objects.filter(pk__in=member_ids).annotate(
        last=Subquery(latest.values("from_facilitator")[:1]), at=Subquery(latest.values("created")[:1])
    )
    return {pk: at for pk, last, at in rows.values_list("pk", "last", "at") if last is not None and not last}

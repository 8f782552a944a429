"""Outsider-witness practice: tell, retell, respond.

A witness answers the witness stage's prompts about a peer's story; the story's author can
write one response to each reflection. No one witnesses their own story.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.utils import timezone

from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..i18n import gettext as _
from ..models import Contribution, Membership, Reflection
from .drafts import drop_drafts
from .errors import Forbidden, InvalidInput, NotFound
from .learner import Outcome, load_learner_view, require_writable
from .transactions import learner_write, save_own_row
from .validation import id_field, is_blank, require_object, required_text, text_field


def _answers(data: Mapping, stage: st.Stage, max_length: int) -> dict[str, str]:
    answers = data.get("answers")
    if not isinstance(answers, Mapping) or not answers:
        raise InvalidInput(_("The field 'answers' must map prompt ids to your answers."))
    known = {prompt.id for prompt in stage.prompts}
    unknown = sorted(str(key) for key in answers if key not in known)
    if unknown:
        raise InvalidInput(_("Unknown prompt ids: {ids}.").format(ids=", ".join(unknown)[:200]))
    cleaned = {key: text_field(answers, key, max_length=max_length) for key in answers}
    if all(is_blank(text) for text in cleaned.values()):
        raise InvalidInput(_("Answer at least one of the prompts."))
    return cleaned


def submit_reflection(exercise: Exercise, membership: Membership, data, now: datetime | None = None) -> Reflection:
    """Create or replace the learner's reflection on a peer's story shared with the group."""
    now = now or timezone.now()
    data = require_object(data)
    contribution_id = id_field(data, "contribution_id")
    stage = exercise.first_stage_of_kind(st.WITNESS)
    if stage is None:
        raise InvalidInput(_("This exercise has no witness stage."))
    view = load_learner_view(exercise, membership, now)
    own = view.mine.values()
    if any(c.pk == contribution_id for c in own):
        raise InvalidInput(_("You cannot witness your own story."))
    if contribution_id not in {c.pk for c in view.peer_stories()}:
        if (
            exercise.peers_after_own_story
            and membership.pk not in view.sharers
            and _is_peer_story(view, contribution_id)
        ):
            raise Forbidden(_("Share your own story with the group before you witness others."))
        raise NotFound(_("There is no such story in your group."))
    require_writable(view, stage, now)
    answers = _answers(data, stage, exercise.max_text_length)
    me = view.rows.membership
    found = next(
        (r for r in view.rows.reflections if r.author_id == me.pk and r.contribution_id == contribution_id), None
    )
    with learner_write(membership, now):
        reflection = save_own_row(
            Reflection, found, {"contribution_id": contribution_id, "author": me}, {"answers": answers}, now
        )
        drop_drafts(membership, prefix=f"reflection:{contribution_id}:")
    view.rows.put("reflections", reflection)
    return Outcome(reflection, view.after_write(now))


def _is_peer_story(view, contribution_id: int) -> bool:
    """Whether the id is a story a peer shared with this group (used only to explain a refusal)."""
    return (
        Contribution.objects.filter(
            pk=contribution_id,
            author__group_id=view.membership.group_id,
            sharing=st.SHARE_GROUP,
            state=Contribution.ACTIVE,
        )
        .exclude(author=view.membership)
        .exists()
    )


def respond_to_reflection(exercise: Exercise, membership: Membership, data, now: datetime | None = None) -> Reflection:
    """Write (or rewrite) the story author's one response to a reflection on their story."""
    now = now or timezone.now()
    data = require_object(data)
    reflection_id = id_field(data, "reflection_id")
    text = required_text(
        data, "text", max_length=exercise.max_text_length, message=_("Write something before you save.")
    )
    view = load_learner_view(exercise, membership, now)
    my_stories = {c.pk for c in view.mine.values()}
    reflection = next((r for r in view.reflections if r.pk == reflection_id and r.contribution_id in my_stories), None)
    if reflection is None:
        raise NotFound(_("There is no such reflection on your story."))
    with learner_write(membership, now):
        Reflection.objects.filter(pk=reflection.pk).update(response=text, modified=now)
        drop_drafts(membership, f"response:{reflection.pk}")
    reflection.response, reflection.modified = text, now
    return Outcome(reflection, view.after_write(now))

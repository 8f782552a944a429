"""The learner's handlers: their state, joining a group, every write of the exercise, their data.

``LearnerHandlers`` is a mixin of ``block.CollectiveCoachingXBlock``; it uses the block's
``_coaching_request()`` (who is asking, for which exercise), ``runtime`` and ``emit_completion``.
The work happens in ``operations``; these methods emit events and publish progress.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.utils import timezone
from webob import Response
from xblock.core import XBlock

from .. import events, retirement
from ..i18n import gettext
from ..operations import changes, drafts, flags, news, one_to_one, plans, reflections, themes
from ..operations import learner as learner_ops
from ..operations.errors import CoachingError, InvalidInput, NotFound
from ..operations.groups import refresh_name
from ..platform import get_host
from ..presentation import learner_state
from .decorators import coaching_handler, error_response, json_handler

if TYPE_CHECKING:
    from ..block import CoachingRequest


class LearnerHandlers:
    """The handlers a learner's view calls, and the learner's own data download."""

    @coaching_handler(write=False)
    def get_state(self, request, data):
        """The learner's stages, group, visible contributions and score. Changes nothing."""
        membership = request.membership(join=False)
        if membership is None:
            return {"stages": [], "group": None, "contributions": [], "score": None}
        state = learner_state(learner_ops.load_learner_view(request.exercise, membership), drafts.my_drafts(membership))
        return dict(state, fingerprint=changes.fingerprint(membership.block_id, membership.learner_key))

    @json_handler
    def changes(self, data, suffix=""):
        """Whether the learner's group changed since the page's fingerprint (one query). Changes nothing.

        The page asks every few seconds while it is visible, so this reads neither the block's
        settings nor any text: only who is asking, and the group's fingerprint.
        """
        since = data.get("since") if isinstance(data, dict) else None
        if not isinstance(since, str) or len(since) > changes.FINGERPRINT_LENGTH:
            return error_response(InvalidInput(gettext("The field 'since' must be the fingerprint the page has.")))
        host = get_host()
        person = host.current_person(self)
        if person is None or not person.can_write or person.is_staff:
            return {"changed": False, "fingerprint": ""}
        now = changes.fingerprint(host.block_id(self), person.key)
        return {"changed": now != since and bool(now), "fingerprint": now}

    @coaching_handler(write=True)
    def join_group(self, request, data):
        """Join a small group of the learner's cohort (what opening the unit does). Idempotent."""
        membership = request.membership(join=True)
        return learner_state(learner_ops.load_learner_view(request.exercise, membership))

    @coaching_handler(write=True)
    def submit_contribution(self, request, data):
        """Create or replace the learner's contribution to a stage."""
        membership = request.membership(join=True)
        outcome = learner_ops.submit_contribution(request.exercise, membership, data, now=timezone.now())
        contribution = outcome.result
        self._publish_progress(request, membership, outcome.view)
        events.emit(
            self,
            "contribution.submitted",
            contribution_id=contribution.pk,
            stage_id=contribution.stage_id,
            sharing=contribution.sharing,
            words=len(contribution.text.split()),
        )
        return {"contribution": _contribution_json(contribution, membership)}

    @coaching_handler(write=True)
    def withdraw_contribution(self, request, data):
        """Withdraw one of the learner's own contributions (a story, or consent to the contract)."""
        membership = request.membership(join=True)
        outcome = learner_ops.withdraw_contribution(request.exercise, membership, data, now=timezone.now())
        contribution = outcome.result
        self._publish_progress(request, membership, outcome.view)
        events.emit(self, "contribution.withdrawn", contribution_id=contribution.pk, stage_id=contribution.stage_id)
        return {"contribution": _contribution_json(contribution, membership)}

    def _learner_write(self, request, operation, data, event):
        """Run a learner's write operation, emit its event, publish progress, answer the new state.

        ``event`` turns the operation's result into the event's name and data.
        """
        membership = request.membership(join=True)
        outcome = operation(request.exercise, membership, data, now=timezone.now())
        view = self._publish_progress(request, membership, outcome.view)
        name, event_data = event(outcome.result)
        events.emit(self, name, **event_data)
        return learner_state(view)

    @coaching_handler(write=True)
    def submit_reflection(self, request, data):
        """Witness a peer's story: answers to the witness prompts. Answers the new state."""
        return self._learner_write(
            request,
            reflections.submit_reflection,
            data,
            lambda r: (
                "reflection.submitted",
                {
                    "reflection_id": r.pk,
                    "contribution_id": r.contribution_id,
                    "answers": sum(1 for text in r.answers.values() if text.strip()),
                },
            ),
        )

    @coaching_handler(write=True)
    def respond_to_reflection(self, request, data):
        """The story's author responds to a reflection on it. Answers the new state."""
        return self._learner_write(
            request,
            reflections.respond_to_reflection,
            data,
            lambda r: ("reflection.responded", {"reflection_id": r.pk, "contribution_id": r.contribution_id}),
        )

    @coaching_handler(write=True)
    def tag_themes(self, request, data):
        """Replace the learner's theme tags. Answers the new state (with the group's theme map)."""
        return self._learner_write(
            request,
            themes.tag_themes,
            data,
            lambda tags: ("themes.tagged", {"themes": len(tags), "structural": sum(1 for t in tags if t.structural)}),
        )

    @coaching_handler(write=True)
    def save_group_plan(self, request, data):
        """Save the group's plan from the version it was read at; 409 with the current text if stale."""
        return self._learner_write(
            request,
            plans.save_group_plan,
            data,
            lambda plan: ("plan.saved", {"group_id": plan.group_id, "version": plan.version}),
        )

    @coaching_handler(write=False)
    def plan_history(self, request, data):
        """The group plan's saved versions, newest first, each with its text. Changes nothing."""
        return plans.plan_history(request.exercise, request.membership(join=False), data)

    @coaching_handler(write=True)
    def save_draft(self, request, data):
        """Keep what the learner is still writing (private to them; not a submission)."""
        return drafts.save_draft(request.exercise, request.membership(join=True), data, now=timezone.now())

    @coaching_handler(write=True)
    def set_email_news(self, request, data):
        """Whether the learner gets their group's news by email, at most once a day (``{"email": bool}``)."""
        email = news.email_choice(data)  # checked before joining: a refusal writes nothing
        return news.set_email_news(request.membership(join=True), email)

    @coaching_handler(write=True)
    def answer_facilitator(self, request, data):
        """Answer, one to one, the facilitator who wrote to the learner (``{"text": "…"}``)."""
        result = one_to_one.answer_facilitator(request.membership(join=False), data)
        events.emit(self, "one_to_one.answered", message_id=result["message"]["id"])
        return result

    @coaching_handler(write=True)
    def flag_content(self, request, data):
        """Flag a story, reflection or response as harmful; it is hidden from the reporter."""
        return self._learner_write(
            request,
            flags.flag_content,
            data,
            lambda flag: ("content.flagged", {"flag_id": flag.pk, "kind": flag.kind, "item_id": flag.object_id}),
        )

    def _publish_progress(self, request: CoachingRequest, membership, view):
        """After a learner's successful write: keep their name current, send score and completion.

        ``view`` is the learner's view after the write. A facilitator's override stands: no
        participation grade is published over it. Returns the view, for the handler's answer.
        """
        refresh_name(membership, request.person)
        if view.score_override is None:
            score = view.progress.score
            self.runtime.publish(self, "grade", {"value": score.earned, "max_value": score.possible})
        self.emit_completion(view.progress.completion)
        return view

    @XBlock.handler
    def download_my_data(self, request, suffix=""):
        """GET: everything the learner wrote in this unit, as a JSON file of their own."""
        try:
            coaching = self._coaching_request()
            membership = coaching.membership(join=False)
            if membership is None:
                raise NotFound(gettext("You have not taken part in this unit yet."))
        except CoachingError as error:
            return error_response(error)
        response = Response(
            json.dumps(retirement.my_data(coaching.exercise, membership), indent=2, ensure_ascii=False),
            content_type="application/json",
            charset="utf8",
        )
        response.content_disposition = 'attachment; filename="my-collective-coaching.json"'
        return response


def _contribution_json(contribution, membership) -> dict:
    return {
        "id": contribution.pk,
        "stage_id": contribution.stage_id,
        "author": membership.member_id,
        "text": contribution.text,
        "sharing": contribution.sharing,
        "state": contribution.state,
        "mine": True,
    }

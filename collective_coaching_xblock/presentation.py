"""Turning a learner's view into what people read: the handler JSON and the template context.

Both come from the same ``LearnerView`` so that the page and ``get_state`` never disagree.
Stage texts from templates are translated here, when shown.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone

from .exercise import checkin, suggestions
from .exercise import stages as st
from .exercise import visibility as vis
from .exercise.grouping import GROUP_SIZE_MIN
from .exercise.text import gettext_noop
from .i18n import gettext, js_catalog, page_language
from .models import Contribution
from .operations import changes, one_to_one, small_groups
from .operations.learner import LearnerView
from .operations.reading import reads

STATUS_LABELS = {
    st.LOCKED: gettext_noop("Locked"),
    st.OPEN: gettext_noop("Open"),
    st.DONE: gettext_noop("Done"),
}
WAITING_LABEL = gettext_noop("Waiting for your group")
CHECKIN_SCALE = (
    (1, gettext_noop("Strongly disagree")),
    (2, gettext_noop("Disagree")),
    (3, gettext_noop("Neither agree nor disagree")),
    (4, gettext_noop("Agree")),
    (5, gettext_noop("Strongly agree")),
    (checkin.PREFER_NOT, gettext_noop("Prefer not to say")),
)  # an open stage whose own part is done
SHARING_LABELS = {
    st.SHARE_GROUP: gettext_noop("My group (and the facilitator)"),
    st.SHARE_FACILITATOR: gettext_noop("The facilitator only"),
    st.SHARE_PRIVATE: gettext_noop("Only me"),
}
# Who reads what is shared each way (docs/privacy.md), said where the choice is made.
SHARING_HINTS = {
    st.SHARE_GROUP: gettext_noop(
        "The members of your group read it and may reflect on it; your facilitator reads it too. "
        "You can withdraw it at any time."
    ),
    st.SHARE_FACILITATOR: gettext_noop("Only your facilitator reads it; your group does not see it."),
    st.SHARE_PRIVATE: gettext_noop("Nobody else reads it, not even your facilitator."),
}
PEERS_AFTER_SHARING = gettext_noop("Your peers' stories open for you once you share your own with your group.")


def _member_names(view: LearnerView) -> dict[int, dict]:
    return {
        member.pk: {
            "id": member.member_id,
            "name": view.display_name(member),
            "me": member.pk == view.membership.pk,
            "shared_story": member.pk in view.sharers,
        }
        for member in view.members
    }


def _hide_reason(hidden: bool, reason: str, writer: int | None, me: int) -> str:
    """A facilitator's reason for a hide, where the visibility rule lets this learner read it."""
    viewer = vis.ADDRESSEE if writer == me else vis.GROUP_PEER
    return reason if hidden and reads(viewer, vis.MODERATION_REASON) else ""


def _theme_label(theme: str) -> str:
    return gettext(theme)


def _theme_suggestions(view: LearnerView) -> list[dict]:
    """Themes the learner's own stories point to, with their words: while the themes stage is open to
    them, for their eyes alone (the rule's ``theme_suggestion``), in the page's language (decision 0016)."""
    stage = view.exercise.first_stage_of_kind(st.THEMES)
    if stage is None or view.progress.statuses.get(stage.id) != st.OPEN:
        return []
    if not reads(vis.AUTHOR, vis.THEME_SUGGESTION):
        return []
    me, story_stages = view.membership.pk, view.exercise.story_stage_ids
    text = "\n".join(
        c.text
        for c in view.contributions
        if c.author_id == me and c.stage_id in story_stages and c.state == Contribution.ACTIVE
    )
    if not text:
        return []
    language = suggestions.language_of(page_language())
    found = suggestions.suggest(text, view.exercise.themes, view.exercise.theme_cues, language)
    return [{"theme": s.theme, "label": _theme_label(s.theme), "words": list(s.words)} for s in found]


def _checkin_answers(contribution) -> dict:
    """The learner's own answers to a check-in, from their active contribution to it ({} if none)."""
    if contribution is None or contribution.state != Contribution.ACTIVE:
        return {}
    return checkin.parse(contribution.text)


def _my_checkin(view: LearnerView) -> dict | None:
    """The learner's own check-in answers, before and after, by statement (the rule's ``checkin``:
    theirs to read). None in a unit without a check-in."""
    before, after = checkin.checkin_stages(view.exercise.stages)
    if before is None or not reads(vis.AUTHOR, vis.CHECKIN_ANSWERS):
        return None

    first = _checkin_answers(view.mine.get(before.id))
    last = _checkin_answers(view.mine.get(after.id)) if after else {}
    return {
        "before": before.id,
        "after": after.id if after else None,
        "items": [
            {"id": p.id, "text": gettext(p.text), "before": first.get(p.id), "after": last.get(p.id)}
            for p in (after or before).prompts
        ],
    }


def _merge_by(view: LearnerView) -> str | None:
    """When the learner's group, below three, will be merged into another if nobody joins (or None)."""
    if len(view.members) >= GROUP_SIZE_MIN:
        return None  # the common case asks nothing more
    newest = max(member.joined for member in view.members)
    when = small_groups.merge_by(view.exercise, view.membership.group, len(view.members), newest, timezone.now())
    return when.isoformat() if when else None


def learner_state(view: LearnerView, drafts: dict[str, str] | None = None) -> dict:
    """The ``get_state`` response for a learner (see docs/handlers.md).

    ``drafts`` (the learner's own, by field) are included when given: on the page and in
    ``get_state``, not in the answers of writes.
    """
    members = _member_names(view)
    statuses = view.progress.statuses
    me = view.membership.pk
    plan = view.plan
    story_authors = {contribution.pk: contribution.author_id for contribution in view.contributions}
    return {
        "stages": [
            {
                "id": stage.id,
                "kind": stage.kind,
                "title": gettext(stage.title),
                "status": statuses[stage.id],
                "waiting": stage.id in view.progress.waiting,
            }
            for stage in view.exercise.stages
        ],
        "group": {
            "id": view.membership.group_id,
            "cohort": view.cohort_name,
            "members": list(members.values()),
            "waiting": view.waiting_for_peers,
            "merge_by": _merge_by(view),
        },
        "contributions": [
            {
                "id": contribution.pk,
                "stage_id": contribution.stage_id,
                "author": members[contribution.author_id]["id"],
                "author_name": members[contribution.author_id]["name"],
                "text": contribution.text,
                "sharing": contribution.sharing,
                "state": contribution.state,
                "hidden": contribution.hidden,
                "hidden_reason": _hide_reason(
                    contribution.hidden, contribution.hidden_reason, contribution.author_id, me
                ),
                "mine": contribution.author_id == me,
                "at": contribution.modified.isoformat(),
            }
            for contribution in view.contributions
        ],
        "reflections": [
            {
                "id": reflection.pk,
                "contribution_id": reflection.contribution_id,
                "author": members[reflection.author_id]["id"],
                "author_name": members[reflection.author_id]["name"],
                "answers": reflection.answers,
                "mine": reflection.author_id == me,
                "hidden": reflection.hidden if reflection.author_id == me else False,
                "hidden_reason": _hide_reason(reflection.hidden, reflection.hidden_reason, reflection.author_id, me),
                "response": None if reflection.pk in view.hidden_responses else (reflection.response or None),
                "response_hidden": reflection.response_hidden and reflection.pk not in view.hidden_responses,
                "response_hidden_reason": _hide_reason(
                    reflection.response_hidden,
                    reflection.response_hidden_reason,
                    story_authors.get(reflection.contribution_id),  # a response's writer: the story's author
                    me,
                ),
            }
            for reflection in view.reflections
        ],
        "themes": {
            "choices": [{"theme": theme, "label": _theme_label(theme)} for theme in view.exercise.themes],
            "mine": [{"theme": tag.theme, "structural": tag.structural} for tag in view.my_themes],
            "map": [dict(entry, label=_theme_label(entry["theme"])) for entry in view.theme_map],
            "suggestions": _theme_suggestions(view),
        },
        "checkin": _my_checkin(view),
        "group_plan": {
            "text": plan.text if plan else "",
            "version": plan.version if plan else 0,
            "updated_by": members[plan.updated_by_id]["name"] if plan and plan.updated_by_id in members else None,
            "updated_at": plan.updated_at.isoformat() if plan and plan.version else None,
        },
        # One to one with the facilitators: only this learner's thread, as the rule lets them read it.
        "one_to_one": one_to_one.thread_json(view.rows.thread, viewer_is_learner=True) if view.rows else [],
        "consent": view.has_consent,
        "email_news": view.membership.email_news,
        "score": {
            "earned": view.score.earned,
            "possible": view.score.possible,
            "overridden": view.score_override is not None,
        },
        "completion": view.progress.completion,
        **({"drafts": drafts} if drafts is not None else {}),
    }


def witness_prompts(exercise) -> list[dict]:
    """The witness stage's prompts, translated, for the learner's page."""
    stage = exercise.first_stage_of_kind(st.WITNESS)
    return [{"id": prompt.id, "text": gettext(prompt.text)} for prompt in stage.prompts] if stage else []


def _locked_reason(stage: st.Stage, now) -> str:
    if stage.opens and now < stage.opens:
        return gettext("This stage opens on {date}.").format(date=stage.opens.strftime("%Y-%m-%d %H:%M %Z"))
    if stage.closes and now > stage.closes:
        return gettext("This stage closed on {date}.").format(date=stage.closes.strftime("%Y-%m-%d %H:%M %Z"))
    if stage.pacing == st.FACILITATOR_PACED:
        return gettext("Your facilitator will open this stage for your group.")
    return gettext("Finish the stage before this one to open it.")


def view_context(block, request, view: LearnerView | None, drafts: dict[str, str] | None = None) -> dict:
    """The context of ``templates/learner.html``; ``view`` is None for staff and visitors."""
    now = timezone.now()
    state = view.progress.statuses if view else {}
    mine = view.mine if view else {}
    members = _member_names(view) if view else {}
    stages = []
    for stage in request.exercise.stages:
        status = state.get(stage.id, st.LOCKED)
        contribution = mine.get(stage.id)
        answers = _checkin_answers(contribution) if stage.kind == st.CHECKIN else {}
        stages.append(
            {
                "id": stage.id,
                "kind": stage.kind,
                "title": gettext(stage.title),
                "instructions": gettext(stage.instructions),
                "prompts": [
                    {"id": p.id, "text": gettext(p.text), "answer": str(answers.get(p.id, ""))} for p in stage.prompts
                ],
                "status": status,
                "status_label": gettext(
                    WAITING_LABEL if view and stage.id in view.progress.waiting else STATUS_LABELS[status]
                ),
                "locked_reason": _locked_reason(stage, now) if status == st.LOCKED else "",
                "text": contribution.text if contribution and contribution.state == Contribution.ACTIVE else "",
                "sharing": contribution.sharing if contribution else "",
                "takes_contribution": stage.kind in (st.CONTRACT, st.NARRATIVE, st.ACTION),
            }
        )
    person = request.person
    uid = "cc-" + hashlib.sha1(request.exercise.block_id.encode()).hexdigest()[:10]  # noqa: S324 - an id, not a secret
    return {
        "uid": uid,
        "block_id": request.exercise.block_id,
        "display_name": block.display_name,
        "stages": stages,
        "is_learner": view is not None,
        "preview": False,
        "is_staff": bool(person and person.is_staff),
        "visitor_note": request.host.visitor_note(block) if view is None else "",
        "view": view,
        "members": list(members.values()),
        "payload_id": f"{uid}-state",
        "payload": {
            "state": dict(
                learner_state(view, drafts),
                fingerprint=changes.fingerprint(view.membership.block_id, view.membership.learner_key),
            ),
            "prompts": witness_prompts(request.exercise),
            "i18n": js_catalog(),
            "language": page_language(),
        }
        if view
        else None,
        "checkin_scale": [(str(value), gettext(label)) for value, label in CHECKIN_SCALE],
        "sharing_choices": [
            (value, gettext(label), gettext(SHARING_HINTS[value])) for value, label in SHARING_LABELS.items()
        ],
        "peers_after_sharing": gettext(PEERS_AFTER_SHARING) if request.exercise.peers_after_own_story else "",
        "max_text_length": request.exercise.max_text_length,
        "score": view.score if view else None,
    }

"""The one rule that decides who may read which text (docs/privacy.md holds it as a table).

Pure Python: no Django, no XBlock. Every surface that shows a person's words (the learner's
page and ``get_state``, ``group_detail``, the dashboard's flags, the CSV export, the Instructor
report, ``download_my_data``) describes the viewer and the item with the values below and asks
``may_read``. No surface decides on its own. Events and the mobile data carry no text at all:
they ask as ``NOBODY``, whom the rule never lets read.

The viewer is described by their relation to the item:

- ``AUTHOR``: the person who wrote it;
- ``ADDRESSEE``: the person it answers (a story's author reads reflections on it; a witness
  reads the response to their reflection; a learner reads the reason for a hide or an override
  that concerns their work);
- ``GROUP_PEER``: another member of the author's small group;
- ``OTHER_LEARNER``: a learner of another group of the unit;
- ``FACILITATOR``: course staff whose cohorts include the item's; ``FACILITATOR_OUT``: staff
  limited to other cohorts;
- ``COURSE_AUTHOR``: an author in Studio (the preview and the editor show no learner's work);
- ``NOBODY``: events, the mobile apps' data and anonymous visitors.
"""

from __future__ import annotations

from dataclasses import dataclass

from .stages import SHARE_FACILITATOR, SHARE_GROUP

# Viewers, by their relation to the item.
AUTHOR = "author"
ADDRESSEE = "addressee"
GROUP_PEER = "group_peer"
OTHER_LEARNER = "other_learner"
FACILITATOR = "facilitator"
FACILITATOR_OUT = "facilitator_out_of_scope"
COURSE_AUTHOR = "course_author"
NOBODY = "nobody"
VIEWERS = (AUTHOR, ADDRESSEE, GROUP_PEER, OTHER_LEARNER, FACILITATOR, FACILITATOR_OUT, COURSE_AUTHOR, NOBODY)

# Items.
STORY = "story"  # a contribution to a narrative stage
NEXT_STEPS = "next_steps"  # a contribution to an action stage (the learner's own plan)
CONSENT = "consent"  # a contribution to a contract stage: no text to read
REFLECTION = "reflection"  # a witness's answers on a peer's story
RESPONSE = "response"  # a story's author's answer to a reflection
THEME = "theme"  # a learner's theme tags, counted in the group's theme map
PLAN = "plan"  # the group's collective plan and its versions
FLAG_REASON = "flag_reason"  # why a learner reported an item
FLAG_COPY = "flag_copy"  # the text a reporter saw when they reported it
MODERATION_REASON = "moderation_reason"  # why a facilitator hid an item
OVERRIDE_REASON = "override_reason"  # why a facilitator overrode a score
DRAFT = "draft"  # what a learner is still writing, kept on the server
ONE_TO_ONE = "one_to_one"  # a message between a learner and the facilitators of their cohort
THEME_SUGGESTION = "theme_suggestion"  # themes suggested from a learner's own story, with its words
CHECKIN_ANSWERS = "checkin"  # a learner's answers to a check-in (before and after)
FACILITATION_NOTE = "facilitation_note"  # the author's notes for facilitators on a stage (a facilitation guide)
KINDS = (
    STORY,
    NEXT_STEPS,
    CONSENT,
    REFLECTION,
    RESPONSE,
    THEME,
    PLAN,
    FLAG_REASON,
    FLAG_COPY,
    MODERATION_REASON,
    OVERRIDE_REASON,
    DRAFT,
    ONE_TO_ONE,
    THEME_SUGGESTION,
    FACILITATION_NOTE,
    CHECKIN_ANSWERS,
)
CONTRIBUTIONS = (STORY, NEXT_STEPS)


@dataclass(frozen=True)
class Item:
    """What the rule needs to know of one text.

    ``answers`` is the item this one answers: a reflection answers a story, a response answers a
    reflection. ``author_consents`` is the author's consent to share with the group, a fact about
    the learner in this unit. ``reported_by_viewer``: the viewer flagged it, and so no longer
    sees it. ``open`` is for a flag: not yet resolved.
    """

    kind: str
    sharing: str = SHARE_GROUP
    withdrawn: bool = False
    hidden: bool = False
    author_consents: bool = True
    stage_current: bool = True
    author_shares_story: bool = True
    answers: Item | None = None
    reported_by_viewer: bool = False
    open: bool = True


@dataclass(frozen=True)
class Decision:
    """The rule's answer: whether the viewer may read the text, and why (a key of docs/privacy.md)."""

    readable: bool
    why: str

    def __bool__(self) -> bool:
        return self.readable


def _yes(why: str) -> Decision:
    return Decision(True, why)


def _no(why: str) -> Decision:
    return Decision(False, why)


def shared_with_group(item: Item) -> bool:
    """Whether the group can read a contribution: active, shared with the group, with consent, not hidden."""
    return (
        item.kind in CONTRIBUTIONS
        and not item.withdrawn
        and item.stage_current
        and item.sharing == SHARE_GROUP
        and item.author_consents
        and not item.hidden
    )


def _story_still_shared(story: Item | None) -> bool:
    """A reflection lives on a story: it stays readable to the pair only while the story is shared."""
    return (
        story is not None
        and not story.withdrawn
        and story.stage_current
        and story.sharing == SHARE_GROUP
        and story.author_consents
    )


def may_read(viewer: str, item: Item, *, viewer_may_read_peers: bool = True) -> Decision:
    """Whether ``viewer`` (one of ``VIEWERS``) may read the text of ``item``.

    ``viewer_may_read_peers``: for a learner, whether the unit lets them read peers' stories yet
    (by default only after they shared their own).
    """
    if viewer not in VIEWERS or item.kind not in KINDS:
        raise ValueError(f"unknown viewer {viewer!r} or item {item.kind!r}")
    if item.kind == FACILITATION_NOTE:  # the course's, not a person's: for the unit's facilitators
        return _yes("facilitation_guide") if viewer == FACILITATOR else _no("facilitators_only")
    if viewer in (NOBODY, COURSE_AUTHOR):
        return _no("no_learner_text_here")
    if viewer in (OTHER_LEARNER, FACILITATOR_OUT):
        return _no("outside_their_group_or_cohorts")
    if item.kind == FLAG_COPY:
        return _flag_copy(viewer, item)
    if viewer == AUTHOR:
        return _yes("own_words")
    if item.kind == DRAFT:
        return _no("drafts_are_private")
    if item.kind == CHECKIN_ANSWERS:  # the dashboard shows only counts of many (exercise/checkin.py)
        if item.withdrawn:
            return _no("withdrawn")
        return _yes("facilitator_reads_outcomes") if viewer == FACILITATOR else _no("outcomes_are_not_for_peers")
    if item.kind == THEME_SUGGESTION:
        return _no("suggestions_are_for_the_storys_author")
    if item.reported_by_viewer:
        return _no("reported_by_viewer")
    kind = item.kind
    if kind in CONTRIBUTIONS:
        return _contribution(viewer, item, viewer_may_read_peers)
    if kind == CONSENT:
        return _no("consent_has_no_text")
    if kind == REFLECTION:
        return _reflection(viewer, item)
    if kind == RESPONSE:
        return _response(viewer, item)
    if kind == THEME:
        if item.author_consents and item.author_shares_story:
            return _yes("themes_of_a_shared_story")
        return _no("themes_of_an_unshared_story")
    if kind == PLAN:
        return _yes("the_group_plan")
    if kind == FLAG_REASON:
        return _yes("facilitator_reads_reports") if viewer == FACILITATOR else _no("reports_go_to_facilitators")
    # MODERATION_REASON, OVERRIDE_REASON and ONE_TO_ONE: the facilitators and the learner concerned.
    if viewer in (FACILITATOR, ADDRESSEE):
        return _yes("concerns_the_learner")
    return _no("between_facilitator_and_learner")


def _contribution(viewer: str, item: Item, viewer_may_read_peers: bool) -> Decision:
    if item.withdrawn:
        return _no("withdrawn")
    if item.sharing not in (SHARE_GROUP, SHARE_FACILITATOR):
        return _no("only_me")
    if viewer == FACILITATOR:
        return _yes("shared_with_facilitator")
    if item.sharing != SHARE_GROUP:
        return _no("facilitator_only")
    if not item.author_consents:
        return _no("consent_withdrawn")
    if item.hidden:
        return _no("hidden_by_facilitator")
    if not item.stage_current:
        return _no("stage_removed")
    if not viewer_may_read_peers:
        return _no("share_your_own_first")
    return _yes("shared_with_group")


def _reflection(viewer: str, item: Item) -> Decision:
    return _answer(viewer, item, item.answers, "witnessed_your_story")


def _response(viewer: str, item: Item) -> Decision:
    reflection = item.answers
    return _answer(viewer, item, reflection.answers if reflection is not None else None, "answers_your_reflection")


def _answer(viewer: str, item: Item, story: Item | None, why: str) -> Decision:
    """A reflection or a response: between its writer and its addressee, on a story."""
    if viewer == FACILITATOR:
        if story is not None and may_read(FACILITATOR, story):
            return _yes("facilitator_reads_the_story")
        return _no("story_not_readable")
    if viewer != ADDRESSEE:
        return _no("between_witness_and_author")
    if not _story_still_shared(story):
        return _no("story_not_shared")
    if not item.author_consents:
        return _no("consent_withdrawn")
    if item.hidden:
        return _no("hidden_by_facilitator")
    return _yes(why)


def _flag_copy(viewer: str, item: Item) -> Decision:
    """The copy a flag keeps of what its reporter saw (docs/decisions/0009)."""
    if viewer != FACILITATOR:
        return _no("reports_go_to_facilitators")
    if not item.open:
        return _no("flag_resolved")
    return _yes("open_report")

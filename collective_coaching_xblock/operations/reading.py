"""The visibility rule applied to rows: every surface asks here which texts its viewer may read.

``exercise/visibility.py`` holds the rule; this module turns model rows into the rule's facts
(``Item``) and the viewer's relation to each row. It runs no query: callers pass rows they
loaded in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from ..exercise import stages as st
from ..exercise import visibility as vis
from ..exercise.exercise import Exercise
from ..models import CONSENT_GIVEN, CONSENT_NOT_ASKED, Flag


def reads(viewer: str, kind: str) -> bool:
    """Whether ``viewer`` may read a text of ``kind`` that depends on no item's state: the group
    plan, a flag's reason, a facilitator's reason for a hide or an override, a draft."""
    return bool(vis.may_read(viewer, vis.Item(kind)))


def consents(exercise: Exercise, member) -> bool:
    """The learner's consent to share with the group in this unit.

    Given through a contract stage, or never asked in a unit that has no contract stage. A
    withdrawal stands whatever an author later does to the stage list.
    """
    if member.consent == CONSENT_GIVEN:
        return True
    return member.consent == CONSENT_NOT_ASKED and exercise.first_stage_of_kind(st.CONTRACT) is None


def contribution_kind(exercise: Exercise, contribution) -> str:
    """The rule's kind of a contribution; one of a removed stage is read as a story."""
    stage = exercise.stage(contribution.stage_id)
    if stage is None:
        return vis.STORY
    return {st.NARRATIVE: vis.STORY, st.ACTION: vis.NEXT_STEPS, st.CHECKIN: vis.CHECKIN_ANSWERS}.get(
        stage.kind, vis.CONSENT
    )


class Rows:
    """The facts of some groups' rows, for one viewer's questions.

    ``members`` must include the authors whose consent matters (the groups' members);
    ``reported`` holds the ``(kind, id)`` pairs the viewer flagged.
    """

    def __init__(self, exercise: Exercise, members: Iterable, contributions: Iterable, reported=frozenset()):
        self.exercise = exercise
        self.consenting = {member.pk for member in members if consents(exercise, member)}
        self.contributions = {contribution.pk: contribution for contribution in contributions}
        self.reported = reported
        self._items: dict[tuple[str, int], vis.Item] = {}  # the facts of each text, built once
        # Members who shared a story with their group (a facilitator's hide does not undo it).
        self._sharers = {
            c.author_id
            for c in self.contributions.values()
            if c.stage_id in exercise.story_stage_ids
            and c.state == "active"
            and c.sharing == st.SHARE_GROUP
            and c.author_id in self.consenting
        }

    # --- facts ---------------------------------------------------------------------------------

    def contribution(self, contribution) -> vis.Item:
        key = ("contribution", contribution.pk)
        if key not in self._items:
            self._items[key] = self._contribution(contribution)
        return self._items[key]

    def _contribution(self, contribution) -> vis.Item:
        return vis.Item(
            kind=contribution_kind(self.exercise, contribution),
            sharing=contribution.sharing,
            withdrawn=contribution.state != "active",
            hidden=contribution.hidden,
            author_consents=contribution.author_id in self.consenting,
            stage_current=self.exercise.stage(contribution.stage_id) is not None,
            reported_by_viewer=(Flag.CONTRIBUTION, contribution.pk) in self.reported,
        )

    def reflection(self, reflection) -> vis.Item:
        key = ("reflection", reflection.pk)
        if key not in self._items:
            self._items[key] = self._reflection(reflection)
        return self._items[key]

    def _reflection(self, reflection) -> vis.Item:
        story = self.contributions.get(reflection.contribution_id)
        return vis.Item(
            kind=vis.REFLECTION,
            hidden=reflection.hidden,
            author_consents=reflection.author_id in self.consenting,
            answers=self.contribution(story) if story is not None else None,
            reported_by_viewer=(Flag.REFLECTION, reflection.pk) in self.reported,
        )

    def response(self, reflection) -> vis.Item:
        story = self.contributions.get(reflection.contribution_id)
        return vis.Item(
            kind=vis.RESPONSE,
            hidden=reflection.response_hidden,
            author_consents=story is not None and story.author_id in self.consenting,
            answers=self.reflection(reflection),
            reported_by_viewer=(Flag.RESPONSE, reflection.pk) in self.reported,
        )

    def story_author(self, reflection):
        story = self.contributions.get(reflection.contribution_id)
        return story.author_id if story is not None else None

    # --- what the group shares -----------------------------------------------------------------

    def group_can_read(self, contribution) -> bool:
        """Whether the author's group peers may read a contribution (before their own sharing)."""
        return vis.shared_with_group(self.contribution(contribution))

    def has_shared_story(self, member_pk: int) -> bool:
        """Whether the member shared a story with the group (a facilitator's hide does not undo it)."""
        return member_pk in self._sharers

    def sharers(self) -> set[int]:
        """Members who shared a story with their group."""
        return set(self._sharers)

    def may_read_peers(self, member_pk: int) -> bool:
        """Whether the unit lets this learner read peers' stories yet."""
        exercise = self.exercise
        return not exercise.peers_after_own_story or not exercise.story_stage_ids or self.has_shared_story(member_pk)

    # --- one learner's questions ---------------------------------------------------------------

    def learner_reads_contribution(self, member_pk: int, contribution, *, ignore_report=False) -> bool:
        viewer = vis.AUTHOR if contribution.author_id == member_pk else vis.GROUP_PEER
        item = self.contribution(contribution)
        return _asks(viewer, item, ignore_report, viewer_may_read_peers=self.may_read_peers(member_pk))

    def learner_reads_reflection(self, member_pk: int, reflection, *, ignore_report=False) -> bool:
        if reflection.author_id == member_pk:
            viewer = vis.AUTHOR
        elif self.story_author(reflection) == member_pk:
            viewer = vis.ADDRESSEE
        else:
            viewer = vis.GROUP_PEER
        return _asks(viewer, self.reflection(reflection), ignore_report)

    def learner_reads_response(self, member_pk: int, reflection, *, ignore_report=False) -> bool:
        if not reflection.response:
            return False
        if self.story_author(reflection) == member_pk:
            viewer = vis.AUTHOR
        elif reflection.author_id == member_pk:
            viewer = vis.ADDRESSEE
        else:
            viewer = vis.GROUP_PEER
        return _asks(viewer, self.response(reflection), ignore_report)

    # --- a facilitator's questions -------------------------------------------------------------

    def facilitator_reads_contribution(self, contribution) -> bool:
        return bool(vis.may_read(vis.FACILITATOR, self.contribution(contribution)))

    def facilitator_reads_reflection(self, reflection) -> bool:
        return bool(vis.may_read(vis.FACILITATOR, self.reflection(reflection)))

    def facilitator_reads_response(self, reflection) -> bool:
        return bool(reflection.response) and bool(vis.may_read(vis.FACILITATOR, self.response(reflection)))

    def theme_members(self, members: Iterable[int], viewer: str = vis.GROUP_PEER) -> set[int]:
        """The members whose theme tags the group's theme map counts, for ``viewer``."""
        return {pk for pk in members if vis.may_read(viewer, self.theme_item(pk))}

    def theme_item(self, member_pk: int) -> vis.Item:
        return vis.Item(
            kind=vis.THEME,
            author_consents=member_pk in self.consenting,
            author_shares_story=self.has_shared_story(member_pk),
        )


def _asks(viewer: str, item: vis.Item, ignore_report: bool, **facts) -> bool:
    """The rule's answer; ``ignore_report``: as if the viewer had not reported the item (to decide
    whether they may report it)."""
    return _answer(viewer, item, ignore_report, tuple(sorted(facts.items())))


@lru_cache(maxsize=4096)
def _answer(viewer: str, item: vis.Item, ignore_report: bool, facts: tuple) -> bool:
    # The rule is a pure function of frozen facts: a page asks it the same questions many times.
    return bool(vis.may_read(viewer, replace(item, reported_by_viewer=False) if ignore_report else item, **dict(facts)))

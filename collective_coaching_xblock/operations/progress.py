"""Who has done what: each member's stage statuses and counts, from their group's rows.

The learner view asks this for one member, the dashboard and the export for many; both give
it rows they loaded in bulk, so it runs no query of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..exercise.scoring import Score, completion, participation_score


@dataclass(frozen=True)
class Progress:
    """A learner's standing in the exercise."""

    statuses: dict[str, str]
    done: frozenset[str]
    score: Score
    completion: float
    started: frozenset[str] = frozenset()


@dataclass
class MemberRecord:
    """One member's progress with the counts a facilitator reads."""

    progress: Progress
    reflections_given: int = 0
    reflections_received: int = 0
    words: dict[str, int] = field(default_factory=dict)  # stage id -> words in the contribution


def is_written(stage: st.Stage, contribution) -> bool:
    """Whether a contribution completes its stage: active, and (but for a contract) not blank."""
    if contribution is None or contribution.state != "active":
        return False
    return stage.kind == st.CONTRACT or bool(contribution.text.strip())


def has_consent(exercise: Exercise, contributions_by_stage: dict) -> bool:
    """Consent to share with the group: an active contribution to every contract stage (if any)."""
    return all(
        is_written(stage, contributions_by_stage.get(stage.id))
        for stage in exercise.stages
        if stage.kind == st.CONTRACT
    )


def shared_with_group(exercise: Exercise, contribution, consenting: set[int]) -> bool:
    """Whether peers of the author's group may read this contribution."""
    stage = exercise.stage(contribution.stage_id)
    return (
        stage is not None
        and stage.kind in (st.NARRATIVE, st.ACTION)
        and contribution.sharing == st.SHARE_GROUP
        and contribution.state == "active"
        and not contribution.hidden
        and contribution.author_id in consenting
    )


@dataclass(frozen=True)
class Sharing:
    """What a set of contributions lets a group read: who consents, and which stories are shared."""

    by_author: dict[int, dict]  # author -> stage id -> contribution
    consenting: set[int]  # authors whose consent to share stands
    stories: dict[int, int]  # id of a story the group can read -> its author

    @property
    def sharers(self) -> set[int]:
        """Members who have a story their group can read."""
        return set(self.stories.values())


def group_sharing(exercise: Exercise, contributions: Iterable) -> Sharing:
    """Consent and shared stories, from the contributions of one or many groups (no query)."""
    by_author: dict[int, dict] = defaultdict(dict)
    for contribution in contributions:
        by_author[contribution.author_id][contribution.stage_id] = contribution
    consenting = {author for author, theirs in by_author.items() if has_consent(exercise, theirs)}
    stories = {
        contribution.pk: author
        for author, theirs in by_author.items()
        for contribution in theirs.values()
        if contribution.stage_id in exercise.story_stage_ids and shared_with_group(exercise, contribution, consenting)
    }
    return Sharing(by_author, consenting, stories)


def compute_progress(
    exercise: Exercise,
    mine: dict,
    now: datetime,
    *,
    completed_elsewhere: frozenset[str] = frozenset(),
    opened_for_group: frozenset[str] = frozenset(),
) -> Progress:
    """Statuses, done stages, score and completion from one learner's own work."""
    work = st.Work(
        written=frozenset(stage.id for stage in exercise.stages if is_written(stage, mine.get(stage.id))),
        started=frozenset(mine),
        completed_elsewhere=completed_elsewhere,
    )
    statuses = st.stage_statuses(exercise.stages, work, st.Pace(opened_for_group), now)
    done = frozenset(stage_id for stage_id, status in statuses.items() if status == st.DONE)
    return Progress(
        statuses=statuses,
        done=done,
        score=participation_score(exercise.stages, done),
        completion=completion(exercise.stages, done),
        started=frozenset(mine) | done,
    )


def progress_by_member(
    exercise: Exercise,
    members: Iterable,
    contributions: Iterable,
    reflections: Iterable,
    tagged_members: set[int],
    opened_by_group: dict[int, frozenset[str]],
    now: datetime,
) -> dict[int, MemberRecord]:
    """Each member's record, from rows of their groups (members, contributions, reflections)."""
    members = list(members)
    group_of = {member.pk: member.group_id for member in members}
    sharing = group_sharing(exercise, contributions)
    story_author, sharers = sharing.stories, sharing.sharers
    stories_by_group: dict[int, set[int]] = defaultdict(set)  # the stories each group can read
    for story, author in story_author.items():
        stories_by_group[group_of.get(author)].add(story)
    reflected: dict[int, set[int]] = defaultdict(set)  # member -> stories they reflected on
    received: dict[int, int] = defaultdict(int)
    for reflection in reflections:
        if reflection.hidden or reflection.contribution_id not in story_author:
            continue
        reflected[reflection.author_id].add(reflection.contribution_id)
        received[story_author[reflection.contribution_id]] += 1
    witness = exercise.first_stage_of_kind(st.WITNESS)
    themes = exercise.first_stage_of_kind(st.THEMES)
    records = {}
    for member in members:
        mine = sharing.by_author.get(member.pk, {})
        completed = set()
        may_read = member.pk in sharers or not exercise.peers_after_own_story or not exercise.story_stage_ids
        peer_stories = {s for s in stories_by_group[member.group_id] if story_author[s] != member.pk}
        given = len(reflected[member.pk] & peer_stories)
        if witness and may_read and st.witness_complete(given, len(peer_stories), exercise.required_reflections):
            completed.add(witness.id)
        if themes and member.pk in tagged_members:
            completed.add(themes.id)
        records[member.pk] = MemberRecord(
            progress=compute_progress(
                exercise,
                mine,
                now,
                completed_elsewhere=frozenset(completed),
                opened_for_group=opened_by_group.get(member.group_id, frozenset()),
            ),
            reflections_given=len(reflected[member.pk]),
            reflections_received=received[member.pk],
            words={stage_id: len(c.text.split()) for stage_id, c in mine.items() if c.state == "active"},
        )
    return records


def theme_map(tags: list, sharers: set[int]) -> list[dict]:
    """Each theme with how many members named it and how many called it structural (sharers only)."""
    counts: dict[str, list[int]] = {}
    for tag in tags:
        if tag.member_id in sharers:
            entry = counts.setdefault(tag.theme, [0, 0])
            entry[0] += 1
            entry[1] += int(tag.structural)
    return [
        {"theme": theme, "members": members, "structural": structural}
        for theme, (members, structural) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    ]

"""Who has done what: each member's stage statuses and counts, from their group's rows.

The learner view asks this for one member, the dashboard and the export for many; both give
it rows they loaded in bulk, so it runs no query of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..exercise import checkin
from ..exercise import stages as st
from ..exercise.exercise import Exercise
from ..exercise.scoring import Score, completion, participation_score
from .reading import Rows


@dataclass(frozen=True)
class Progress:
    """A learner's standing in the exercise."""

    statuses: dict[str, str]
    done: frozenset[str]
    score: Score
    completion: float
    started: frozenset[str] = frozenset()
    waiting: frozenset[str] = frozenset()  # open stages where the learner's part waits on the group


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
    if stage.kind == st.CHECKIN:
        return checkin.answered(stage, contribution.text)
    return stage.kind == st.CONTRACT or bool(contribution.text.strip())


@dataclass(frozen=True)
class Sharing:
    """What a set of contributions lets a group read: who consents, and which stories are shared."""

    by_author: dict[int, dict]  # author -> stage id -> contribution
    consenting: set[int]  # members whose consent to share stands
    stories: dict[int, int]  # id of a story the group can read -> its author
    sharers: set[int]  # members who shared a story with their group
    rows: Rows


def group_sharing(exercise: Exercise, members: Iterable, contributions: Iterable, reported=frozenset()) -> Sharing:
    """Consent and shared stories, from the members and contributions of one or many groups (no query)."""
    contributions = list(contributions)
    rows = Rows(exercise, members, contributions, reported)
    by_author: dict[int, dict] = defaultdict(dict)
    for contribution in contributions:
        by_author[contribution.author_id][contribution.stage_id] = contribution
    stories = {
        c.pk: c.author_id for c in contributions if c.stage_id in exercise.story_stage_ids and rows.group_can_read(c)
    }
    return Sharing(by_author, rows.consenting, stories, rows.sharers(), rows)


def compute_progress(
    exercise: Exercise,
    mine: dict,
    now: datetime,
    *,
    completed_elsewhere: frozenset[str] = frozenset(),
    opened_for_group: frozenset[str] = frozenset(),
    passable: frozenset[str] = frozenset(),
    waiting: frozenset[str] = frozenset(),
) -> Progress:
    """Statuses, done stages, score and completion from one learner's own work.

    ``passable``: stages that do not hold back the ones after them (``stages.Work.passable``);
    ``waiting``: those of them where the learner's part waits on the group, not on their choice.
    """
    work = st.Work(
        written=frozenset(stage.id for stage in exercise.stages if is_written(stage, mine.get(stage.id))),
        started=frozenset(mine),
        completed_elsewhere=completed_elsewhere,
        passable=passable,
    )
    statuses = st.stage_statuses(exercise.stages, work, st.Pace(opened_for_group), now)
    done = frozenset(stage_id for stage_id, status in statuses.items() if status == st.DONE)
    return Progress(
        statuses=statuses,
        done=done,
        score=participation_score(exercise.stages, done),
        completion=completion(exercise.stages, done),
        started=frozenset(mine) | done,
        waiting=frozenset(s for s in waiting if statuses.get(s) == st.OPEN),
    )


def progress_by_member(
    exercise: Exercise,
    members: Iterable,
    contributions: Iterable,
    reflections: Iterable,
    tagged_members: set[int],
    opened_by_group: dict[int, frozenset[str]],
    now: datetime,
    *,
    sharing: Sharing | None = None,
) -> dict[int, MemberRecord]:
    """Each member's record, from rows of their groups (members, contributions, reflections).

    ``sharing``: the ``group_sharing`` of these members and contributions, where the caller has it.
    """
    members = list(members)
    group_of = {member.pk: member.group_id for member in members}
    sharing = sharing or group_sharing(exercise, members, contributions)
    story_author = sharing.stories
    stories_by_group: dict[int, set[int]] = defaultdict(set)  # the stories each group can read
    for story, author in story_author.items():
        stories_by_group[group_of.get(author)].add(story)
    contribution_author = {c.pk: c.author_id for c in sharing.rows.contributions.values()}
    # Work counts where it was done: every reflection a member wrote counts for them, in any
    # group, hidden or not, whatever became of the story since (docs/decisions/0010).
    reflected: dict[int, set[int]] = defaultdict(set)  # member -> stories they reflected on
    received: dict[int, int] = defaultdict(int)
    for reflection in reflections:
        reflected[reflection.author_id].add(reflection.contribution_id)
        if reflection.contribution_id in contribution_author:
            received[contribution_author[reflection.contribution_id]] += 1
    witness = exercise.first_stage_of_kind(st.WITNESS)
    themes = exercise.first_stage_of_kind(st.THEMES)
    records = {}
    for member in members:
        mine = sharing.by_author.get(member.pk, {})
        completed = {stage_id for stage_id in member.carried_stages or () if exercise.stage(stage_id) is not None}
        peer_stories = {s for s in stories_by_group[member.group_id] if story_author[s] != member.pk}
        given = reflected[member.pk]
        witnessable = len(peer_stories | given)
        reads_peers = sharing.rows.may_read_peers(member.pk)
        passable = waiting = frozenset()
        if witness and reads_peers and st.witness_complete(len(given), witnessable, exercise.required_reflections):
            completed.add(witness.id)
        elif witness and _told_a_story(exercise, mine) and not (reads_peers and peer_stories - given):
            # Their story is told and no peer's story awaits their witness: what comes next and
            # is theirs alone (their themes, their next steps) does not wait. Waiting on the group
            # when they may read it; else on their own choice to keep their story from it.
            passable = frozenset({witness.id})
            waiting = passable if reads_peers else frozenset()
        if themes and member.pk in tagged_members:
            completed.add(themes.id)
        records[member.pk] = MemberRecord(
            progress=compute_progress(
                exercise,
                mine,
                now,
                completed_elsewhere=frozenset(completed),
                opened_for_group=opened_by_group.get(member.group_id, frozenset()),
                passable=passable,
                waiting=waiting,
            ),
            reflections_given=len(reflected[member.pk]),
            reflections_received=received[member.pk],
            words={stage_id: len(c.text.split()) for stage_id, c in mine.items() if c.state == "active"},
        )
    return records


# Where a learner stands, for a facilitator: distinct states everywhere (dashboard, export, triage).
FINISHED = "finished"  # every stage done
WAITING = "waiting"  # nothing to do now but wait for peers (a stage waits on the group)
LOCKED = "locked"  # nothing open: the next stage waits for the facilitator or its dates
STALLED = "stalled"  # could act, and has not for the unit's stall days
ACTIVE = "active"  # could act, and acted lately


def member_state(progress: Progress, last_activity: datetime, now: datetime, stall_days: int) -> str:
    """A learner's state: ``finished``, ``waiting`` (for peers), ``locked``, ``stalled`` or ``active``.

    Waiting for peers is never stalling: only a learner with an open stage they can act on can stall.
    """
    statuses = progress.statuses
    if statuses and all(status == st.DONE for status in statuses.values()):
        return FINISHED
    actionable = [s for s, status in statuses.items() if status == st.OPEN and s not in progress.waiting]
    if not actionable:
        return WAITING if progress.waiting else LOCKED
    return STALLED if last_activity < now - timedelta(days=stall_days) else ACTIVE


def _told_a_story(exercise: Exercise, mine: dict) -> bool:
    """Whether the learner has written one of the exercise's stories (in any sharing)."""
    return any(is_written(exercise.stage(stage_id), mine.get(stage_id)) for stage_id in exercise.story_stage_ids)


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

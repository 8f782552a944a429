"""Stages: the steps of a coaching exercise, their kinds and the rules of their status.

Pure Python: no Django, no XBlock. A stage is data (the block stores a list of dicts);
this module turns that data into ``Stage`` values and answers, for one learner, which
stages are locked, open or done.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from .text import Message
from .text import gettext_noop as _

CONTRACT = "contract"
NARRATIVE = "narrative"
WITNESS = "witness"
THEMES = "themes"
ACTION = "action"
CHECKIN = "checkin"  # statements answered on a scale, before the first stage and after the last (checkin.py)
KINDS = (CONTRACT, NARRATIVE, WITNESS, THEMES, ACTION, CHECKIN)

#: Kinds whose work is a contribution written through ``submit_contribution``.
CONTRIBUTION_KINDS = (CONTRACT, NARRATIVE, ACTION, CHECKIN)

SHARE_GROUP = "group"
SHARE_FACILITATOR = "facilitator"
SHARE_PRIVATE = "private"
SHARING = (SHARE_GROUP, SHARE_FACILITATOR, SHARE_PRIVATE)

LOCKED = "locked"
OPEN = "open"
DONE = "done"

SELF_PACED = "self"
FACILITATOR_PACED = "facilitator"
PACING = (SELF_PACED, FACILITATOR_PACED)


class StageConfigError(ValueError):
    """A stage list that cannot be used; ``message`` says why, for an author (translatable)."""

    def __init__(self, template: str, **params):
        self.message = Message(template, **params)
        super().__init__(str(self.message))


@dataclass(frozen=True)
class Prompt:
    """One question a stage asks; ``id`` is stable so that answers survive rewording."""

    id: str
    text: str


#: The longest facilitation guide of one stage, in characters.
NOTES_LENGTH = 4000


@dataclass(frozen=True)
class Stage:
    """One step of the exercise, as configured by the course author."""

    id: str
    kind: str
    title: str
    instructions: str = ""
    prompts: tuple[Prompt, ...] = ()
    graded: bool = True
    weight: float = 1.0
    pacing: str = SELF_PACED
    opens: datetime | None = None
    closes: datetime | None = None
    min_words: int = 0  # 0: no minimum
    max_words: int = 0  # 0: no maximum
    # The author's facilitation guide for the stage (what to say, what to watch for): facilitators only.
    facilitator_notes: str = ""

    def is_within_dates(self, now: datetime) -> bool:
        """True when ``now`` lies between the stage's open and close dates (either may be unset)."""
        if self.opens is not None and now < self.opens:
            return False
        return not (self.closes is not None and now > self.closes)


@dataclass(frozen=True)
class Work:
    """What one learner has done in one exercise, as far as stage status needs to know."""

    #: stage id -> the learner's contribution to it is active and not blank
    written: frozenset[str] = frozenset()
    #: stage ids the learner has any contribution for (active or not): started stages stay reachable
    started: frozenset[str] = frozenset()
    #: stage ids whose completion rule is met for kinds that are not plain contributions
    completed_elsewhere: frozenset[str] = frozenset()
    #: stage ids that do not hold back the stages after them although not done: a witness stage
    #: with no peer's story the learner can witness now (none shared with the group yet, or the
    #: learner keeps their own story from the group). A learner never waits, nor is pressed to
    #: share, to do what is theirs alone.
    passable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pace:
    """What the facilitator has opened for the learner's group."""

    opened_for_group: frozenset[str] = field(default_factory=frozenset)


def _text(raw: Mapping, key: str, default: str = "") -> str:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str) or "\x00" in value:
        raise StageConfigError(_("Stage field '{key}' must be text."), key=key)
    return value


class NaiveDateError(ValueError):
    """A date and time without a time zone."""


def parse_utc(value: str) -> datetime:
    """An ISO 8601 date and time with its time zone ("Z" allowed), in UTC, as the database stores it.

    Raises ``NaiveDateError`` when it has no time zone and ``ValueError`` when it is not a date and
    time, or lies so near the calendar's edge that it overflows once converted to UTC.
    """
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise NaiveDateError(value)
    try:
        return parsed.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(value) from exc


def _date(raw: Mapping, key: str) -> datetime | None:
    value = raw.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise StageConfigError(_("Stage field '{key}' must be an ISO 8601 date and time."), key=key)
    try:
        return parse_utc(value)
    except NaiveDateError as exc:
        raise StageConfigError(
            _("Stage field '{key}' needs a time zone, for example {value}+00:00."), key=key, value=value[:64]
        ) from exc
    except ValueError as exc:
        raise StageConfigError(
            _("Stage field '{key}' is not a valid date: {value}."), key=key, value=value[:64]
        ) from exc


def stage_from_dict(raw: Mapping) -> Stage:
    """Build a ``Stage`` from its stored form, refusing what no learner could use."""
    if not isinstance(raw, Mapping):
        raise StageConfigError(_("Each stage must be a mapping of settings."))
    stage_id = _text(raw, "id").strip()
    if not stage_id or len(stage_id) > 64 or not all(c.isalnum() or c in "-_" for c in stage_id):
        raise StageConfigError(
            _("A stage id must be 1 to 64 letters, digits, hyphens or underscores; got '{stage}'."), stage=stage_id
        )
    kind = _text(raw, "kind")
    if kind not in KINDS:
        raise StageConfigError(_("Stage '{stage}' has an unknown kind '{kind}'."), stage=stage_id, kind=kind)
    prompts = []
    if not isinstance(raw.get("prompts") or [], list):
        raise StageConfigError(_("Stage '{stage}': each prompt needs an id and a text."), stage=stage_id)
    for item in raw.get("prompts") or ():
        if not isinstance(item, Mapping):
            raise StageConfigError(_("Stage '{stage}': each prompt needs an id and a text."), stage=stage_id)
        prompts.append(Prompt(id=_text(item, "id").strip(), text=_text(item, "text")))
    if len({p.id for p in prompts}) != len(prompts) or any(not p.id for p in prompts):
        raise StageConfigError(_("Stage '{stage}': prompt ids must be present and unique."), stage=stage_id)
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1000:
        raise StageConfigError(_("Stage '{stage}': the weight must be a number from 0 to 1000."), stage=stage_id)
    words = {}
    for key in ("min_words", "max_words"):
        value = raw.get(key, 0) or 0
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            raise StageConfigError(
                _("Stage '{stage}': {key} must be a whole number from 0 to 100000."), stage=stage_id, key=key
            )
        words[key] = value
    if words["min_words"] and words["max_words"] and words["min_words"] > words["max_words"]:
        raise StageConfigError(_("Stage '{stage}': the minimum number of words is above the maximum."), stage=stage_id)
    pacing = _text(raw, "pacing", SELF_PACED)
    if pacing not in PACING:
        raise StageConfigError(_("Stage '{stage}': pacing must be 'self' or 'facilitator'."), stage=stage_id)
    graded = raw.get("graded", kind not in (CONTRACT, CHECKIN))
    if not isinstance(graded, bool):
        raise StageConfigError(_("Stage '{stage}': 'graded' must be true or false."), stage=stage_id)
    if kind == CHECKIN and graded:
        raise StageConfigError(
            _("Stage '{stage}': a check-in counts for completion, never for the score."), stage=stage_id
        )
    if kind == CHECKIN and not 0 < len(prompts) <= 12:
        raise StageConfigError(_("Stage '{stage}': a check-in needs 1 to 12 statements (its prompts)."), stage=stage_id)
    notes = _text(raw, "facilitator_notes")
    if len(notes) > NOTES_LENGTH:
        raise StageConfigError(
            _("Stage '{stage}': the notes for facilitators are longer than {limit} characters."),
            stage=stage_id,
            limit=NOTES_LENGTH,
        )
    stage = Stage(
        id=stage_id,
        kind=kind,
        title=_text(raw, "title") or stage_id,
        instructions=_text(raw, "instructions"),
        facilitator_notes=notes,
        prompts=tuple(prompts),
        graded=graded,
        weight=float(weight),
        pacing=pacing,
        opens=_date(raw, "opens"),
        closes=_date(raw, "closes"),
        **words,
    )
    if stage.opens and stage.closes and stage.closes < stage.opens:
        raise StageConfigError(_("Stage '{stage}' closes before it opens."), stage=stage_id)
    return stage


def stages_from_settings(raw_stages: Iterable[Mapping]) -> tuple[Stage, ...]:
    """Build the exercise's stages from the block's stored list, checking the list as a whole.

    Every request builds them: the stages of a list once checked are kept (they are frozen), so
    that a request pays for serialising the list, not for checking it again.
    """
    raw = list(raw_stages)
    try:
        key = json.dumps(raw, sort_keys=True)
    except (TypeError, ValueError):  # not JSON: no block stores that; check it the long way
        return _stages_from_list(raw)
    return _stages_from_json(key)


@lru_cache(maxsize=256)
def _stages_from_json(key: str) -> tuple[Stage, ...]:
    return _stages_from_list(json.loads(key))


def _stages_from_list(raw_stages: list) -> tuple[Stage, ...]:
    stages = tuple(stage_from_dict(raw) for raw in raw_stages)
    if not stages:
        raise StageConfigError(_("An exercise needs at least one stage."))
    ids = [stage.id for stage in stages]
    if len(set(ids)) != len(ids):
        raise StageConfigError(_("Stage ids must be unique."))
    seen_narrative = False
    for stage in stages:
        if stage.kind in (WITNESS, THEMES) and not seen_narrative:
            raise StageConfigError(
                _("Stage '{stage}' needs a story stage (kind 'narrative') before it."), stage=stage.id
            )
        seen_narrative = seen_narrative or stage.kind == NARRATIVE
    return stages


def stage_to_dict(stage: Stage) -> dict:
    """The stored form of a stage (the inverse of ``stage_from_dict``)."""
    return {
        "id": stage.id,
        "kind": stage.kind,
        "title": stage.title,
        "instructions": stage.instructions,
        "prompts": [{"id": p.id, "text": p.text} for p in stage.prompts],
        "graded": stage.graded,
        "weight": stage.weight,
        "pacing": stage.pacing,
        "opens": stage.opens.isoformat() if stage.opens else None,
        "closes": stage.closes.isoformat() if stage.closes else None,
        "min_words": stage.min_words,
        "max_words": stage.max_words,
        "facilitator_notes": stage.facilitator_notes,
    }


def done_stages(stages: Iterable[Stage], work: Work) -> frozenset[str]:
    """The ids of the stages whose completion rule the learner's work meets."""
    done = set()
    for stage in stages:
        if stage.kind in CONTRIBUTION_KINDS:
            if stage.id in work.written:
                done.add(stage.id)
        elif stage.id in work.completed_elsewhere:
            done.add(stage.id)
    return frozenset(done)


def stage_statuses(stages: Iterable[Stage], work: Work, pace: Pace, now: datetime) -> dict[str, str]:
    """Each stage's status for one learner: ``done``, ``open`` or ``locked``.

    Stages follow one another: a stage opens when the one before it is done, or open and
    passable (``Work.passable``: a learner never waits to do what is theirs alone), or when the
    learner has already started it, or when a facilitator opened it for the group. A
    facilitator-paced stage waits for the facilitator. Dates close a stage that is not done.
    """
    stages = tuple(stages)
    done = done_stages(stages, work)
    statuses: dict[str, str] = {}
    previous_done = True
    for stage in stages:
        if stage.id in done:
            statuses[stage.id] = DONE
        elif not stage.is_within_dates(now):
            statuses[stage.id] = LOCKED
        elif stage.id in pace.opened_for_group:
            statuses[stage.id] = OPEN
        elif stage.pacing == FACILITATOR_PACED:
            statuses[stage.id] = LOCKED
        elif previous_done or stage.id in work.started:
            statuses[stage.id] = OPEN
        else:
            statuses[stage.id] = LOCKED
        status = statuses[stage.id]
        previous_done = status == DONE or (status == OPEN and stage.id in work.passable)
    return statuses


def is_writable(stage: Stage, status: str, now: datetime) -> bool:
    """Whether the learner may write to a stage now: it is open or done, and within its dates."""
    return status in (OPEN, DONE) and stage.is_within_dates(now)


def witness_complete(given: int, available: int, required: int) -> bool:
    """Witnessing is done after ``required`` reflections, or on every peer story when fewer exist.

    With no peer story at all there is nothing to witness yet: the stage is not done, and a
    facilitator can open the next stage for the group.
    """
    return available > 0 and given >= min(required, available)

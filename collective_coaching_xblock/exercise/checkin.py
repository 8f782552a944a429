"""Check-ins: short statements answered on a five-point scale before the first stage and after the last.

Pure Python: no Django, no XBlock. A check-in is a stage of kind ``checkin`` whose prompts are
its statements (items). The exercise's first check-in is "before" and its last "after"; an item
is paired by its id. A learner's answers are kept as their contribution to the stage (its text
is the answers in JSON), so consent, drafts, downloads and retirement treat them as the rest of
their work; the visibility rule's ``checkin`` lets the learner and their facilitators read them,
never peers. Answering counts for completion, never for the score.

The aggregates a dashboard shows need at least ``MIN_PAIRED`` learners who answered an item both
times (an operator may raise it): a small group cannot show change without showing people.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .stages import CHECKIN, Stage

SCALE = (1, 2, 3, 4, 5)
PREFER_NOT = "prefer_not"
ANSWERS = (*SCALE, PREFER_NOT)
#: Fewest learners with both answers to an item before its figures are shown.
MIN_PAIRED = 5
#: The most statements one check-in holds.
MAX_ITEMS = 12


def threshold(min_paired: int) -> int:
    """The paired learners a statement's figures need: the unit's setting, never below ``MIN_PAIRED``."""
    return max(min_paired, MIN_PAIRED)


def checkin_stages(stages: Iterable[Stage]) -> tuple[Stage | None, Stage | None]:
    """The exercise's "before" and "after" check-ins (the first and the last), or None."""
    found = [stage for stage in stages if stage.kind == CHECKIN]
    if len(found) < 2:
        return (found[0] if found else None), None
    return found[0], found[-1]


def parse(text: str) -> dict[str, int | str]:
    """A stored answer text as ``{item id: 1..5 or "prefer_not"}``; anything else is dropped."""
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    return {
        key: value
        for key, value in raw.items()
        if isinstance(key, str) and not isinstance(value, bool) and value in ANSWERS
    }


def dump(answers: Mapping[str, int | str]) -> str:
    return json.dumps(dict(sorted(answers.items())), separators=(",", ":"))


def answered(stage: Stage, text: str) -> bool:
    """Whether a stored answer text answers at least one of the stage's statements."""
    items = {prompt.id for prompt in stage.prompts}
    return any(key in items for key in parse(text))


@dataclass(frozen=True)
class ItemFigures:
    """One statement's answers before and after, from the learners who answered it both times."""

    item: str
    paired: int  # learners with an answer before and after (either may be "prefer not to say")
    before: dict  # answer -> count, among the paired
    after: dict
    compared: int  # the paired who gave a number both times
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    shown: bool  # at least the threshold: otherwise only ``paired`` is given


def figures(
    items: Iterable[str], before: Mapping[int, Mapping], after: Mapping[int, Mapping], min_paired: int = MIN_PAIRED
) -> list[ItemFigures]:
    """Per item: counts per answer before and after, and the mean change, over paired learners.

    ``before`` and ``after`` map a learner to their parsed answers. Below ``min_paired`` the
    counts and means are withheld (``shown`` False).
    """
    result = []
    for item in items:
        people = [key for key in before if item in before[key] and item in after.get(key, {})]
        shown = len(people) >= threshold(min_paired)
        counts_before = dict.fromkeys(ANSWERS, 0)
        counts_after = dict.fromkeys(ANSWERS, 0)
        numbers = []
        for key in people:
            first, last = before[key][item], after[key][item]
            counts_before[first] += 1
            counts_after[last] += 1
            if first != PREFER_NOT and last != PREFER_NOT:
                numbers.append((first, last))
        mean = (lambda values: round(sum(values) / len(values), 2)) if numbers else (lambda values: None)
        result.append(
            ItemFigures(
                item=item,
                paired=len(people),
                before=counts_before if shown else {},
                after=counts_after if shown else {},
                compared=len(numbers) if shown else 0,
                mean_before=mean([a for a, _ in numbers]) if shown else None,
                mean_after=mean([b for _, b in numbers]) if shown else None,
                mean_change=mean([b - a for a, b in numbers]) if shown else None,
                shown=shown,
            )
        )
    return result

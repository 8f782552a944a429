"""Participation grading: a score for taking part, never a judgement of a story."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .stages import Stage


@dataclass(frozen=True)
class Score:
    """Points earned out of points possible."""

    earned: float
    possible: float


def participation_score(stages: Iterable[Stage], done: frozenset[str]) -> Score:
    """The sum of the weights of the graded stages done, out of the sum of all graded weights."""
    graded = [stage for stage in stages if stage.graded]
    return Score(
        earned=sum(stage.weight for stage in graded if stage.id in done),
        possible=sum(stage.weight for stage in graded),
    )


def completion(stages: Iterable[Stage], done: frozenset[str]) -> float:
    """The fraction of all stages (graded or not) that are done, from 0.0 to 1.0."""
    stages = tuple(stages)
    if not stages:
        return 0.0
    return sum(1 for stage in stages if stage.id in done) / len(stages)

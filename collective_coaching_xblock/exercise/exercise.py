"""The exercise as the application layer sees it: one block's configuration, as plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .grouping import REGROUP_DAYS_DEFAULT
from .stages import NARRATIVE, Stage

TEXT_CAP_DEFAULT = 20_000
REQUIRED_REFLECTIONS_DEFAULT = 2
NAMES = "names"
PSEUDONYMS = "pseudonyms"
ANONYMITY = (NAMES, PSEUDONYMS)


@dataclass(frozen=True)
class Exercise:
    """One coaching block's settings, with the ids that place it in a course."""

    block_id: str
    course_id: str
    stages: tuple[Stage, ...]
    group_size: int
    max_text_length: int = TEXT_CAP_DEFAULT
    peers_after_own_story: bool = True
    required_reflections: int = REQUIRED_REFLECTIONS_DEFAULT
    anonymity: str = NAMES
    themes: tuple[str, ...] = ()
    theme_cues: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict, compare=False, hash=False)
    regroup_days: int = REGROUP_DAYS_DEFAULT  # a group below three waits this long, then merges (0: never)
    stall_days: int = 7  # a learner who could act and has not for this long is stalled
    checkin_min_paired: int = 5  # a check-in statement's figures need this many paired learners (checkin.py)

    @property
    def uses_pseudonyms(self) -> bool:
        return self.anonymity == PSEUDONYMS

    @property
    def story_stage_ids(self) -> frozenset[str]:
        """The ids of the stages where learners tell their stories (kind narrative)."""
        return frozenset(stage.id for stage in self.stages if stage.kind == NARRATIVE)

    def first_stage_of_kind(self, kind: str) -> Stage | None:
        """The first stage of ``kind``, or None."""
        return next((stage for stage in self.stages if stage.kind == kind), None)

    def stage(self, stage_id: str) -> Stage | None:
        """The stage with this id, or None."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        return None

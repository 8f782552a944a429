"""The exercise as the application layer sees it: one block's configuration, as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from .stages import Stage

TEXT_CAP_DEFAULT = 20_000


@dataclass(frozen=True)
class Exercise:
    """One coaching block's settings, with the ids that place it in a course."""

    block_id: str
    course_id: str
    stages: tuple[Stage, ...]
    group_size: int
    max_text_length: int = TEXT_CAP_DEFAULT
    peers_after_own_story: bool = True

    def stage(self, stage_id: str) -> Stage | None:
        """The stage with this id, or None."""
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        return None

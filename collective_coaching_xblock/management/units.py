"""What the block's management commands share: a unit's exercise, read outside any request."""

from __future__ import annotations

from ..exercise.stages import StageConfigError


def exercise_of(unit):
    """The unit's exercise, or None for a unit that is gone or whose stages cannot be read."""
    if unit is None:
        return None
    try:
        return unit.exercise()
    except StageConfigError:
        return None

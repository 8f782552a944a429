"""What the block's management commands share: each unit's exercise, read outside any request."""

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


def readable_units(host, block_ids, counts):
    """Each unit of ``block_ids`` whose exercise can be read, as ``(block id, unit, exercise)``.

    ``counts`` (a Counter) counts the units read and those that could not be (``units_read``).
    """
    for block_id in block_ids:
        unit = host.load_unit(block_id)
        exercise = exercise_of(unit)
        if exercise is None:
            counts["units unread"] += 1
            continue
        counts["units"] += 1
        yield block_id, unit, exercise


def units_read(counts) -> str:
    """The end of a command's summary: how many units it read, and how many it could not."""
    return f"{counts['units']} units read, {counts['units unread']} could not be read."

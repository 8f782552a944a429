"""Tracking events: one per learner and facilitator action, with ids and counts, never texts.

Names follow ``xblock.collective_coaching.<object>.<past-tense verb>``; the platform's runtime
sends what the block publishes to its event tracking.
"""

from __future__ import annotations

PREFIX = "xblock.collective_coaching."


def emit(block, name: str, **data) -> None:
    """Publish the event ``PREFIX + name`` with ``data`` (ids, counts and choices only)."""
    block.runtime.publish(block, PREFIX + name, data)

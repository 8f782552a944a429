"""Counting a request's own SQL queries: its total minus the runtime's floor, counted in the same run.

The floor is what a trivial block costs in the same workbench (``demo/floor.py``): its page for
a view, its no-op JSON handler for a handler. ``own_queries(floor, "handler", action)`` is then
what the coaching block adds on top of the runtime.
"""

from __future__ import annotations

import pytest

from collective_coaching_xblock.demo.floor import count_queries, floor_queries

PAGE, HANDLER = "page", "handler"


@pytest.fixture
def floor(workbench) -> dict[str, int]:
    """The runtime's floor in queries, ``{"page": n, "handler": n}``, counted in this test's run."""
    return floor_queries(workbench.client)


def own_queries(floor: dict[str, int], kind: str, action) -> int:
    """The queries ``action()`` runs beyond the floor of its kind (PAGE or HANDLER)."""
    return count_queries(action) - floor[kind]

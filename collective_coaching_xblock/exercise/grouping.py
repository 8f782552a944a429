"""How small groups form inside a cohort: in order of arrival, never beyond the group size."""

from __future__ import annotations

from collections.abc import Mapping

GROUP_SIZE_MIN = 3
GROUP_SIZE_MAX = 8
GROUP_SIZE_DEFAULT = 4


def choose_group(member_counts: Mapping[int, int], group_size: int) -> int:
    """The number of the group a newcomer joins.

    ``member_counts`` maps each existing group's number to how many members it has. The
    newcomer fills the lowest-numbered group that is below ``group_size``; when every group
    is full, a new group is numbered one past the highest. Filling in this order keeps at most
    one group per cohort below the size.
    """
    if group_size < 1:
        raise ValueError("group_size must be positive")
    for number in sorted(member_counts):
        if member_counts[number] < group_size:
            return number
    return max(member_counts, default=0) + 1

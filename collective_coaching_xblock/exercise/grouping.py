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


#: Pseudonyms peers see when a block hides names; one per member of a group, stable once given.
PSEUDONYMS = ("Alder", "Birch", "Cedar", "Hazel", "Juniper", "Linden", "Maple", "Rowan", "Willow", "Yew")


def choose_pseudonym(taken: set[str]) -> str:
    """The first pseudonym no member of the group has yet (numbered once the list runs out)."""
    for name in PSEUDONYMS:
        if name not in taken:
            return name
    number = len(PSEUDONYMS) + 1
    while f"Member {number}" in taken:
        number += 1
    return f"Member {number}"

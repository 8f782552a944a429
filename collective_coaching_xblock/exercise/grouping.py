"""How small groups form inside a cohort: in order of arrival, never beyond the group size."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


#: How long a group below ``GROUP_SIZE_MIN`` waits for newcomers before it is merged, by default.
REGROUP_DAYS_DEFAULT = 3
REGROUP_DAYS_MAX = 90


def plan_merges(sizes: Mapping[int, int], due: Iterable[int], group_size: int) -> list[tuple[int, int]]:
    """Which small groups to merge into which, as (group number, into group number), in order.

    ``sizes`` maps each group of one cohort to its number of members; ``due`` names the groups
    below ``GROUP_SIZE_MIN`` that have waited long enough, oldest first. Each due group moves
    whole into another group of the cohort that has room for all of it within ``group_size``:
    the smallest of those that the move brings to ``GROUP_SIZE_MIN`` or more (the newest
    members spread over the groups), else the largest (closer to a real group than alone).
    A group with no such group stays where it is, and a group that others were merged into in
    this run stays too (nobody moves twice in one run).
    """
    sizes = dict(sizes)
    merges: list[tuple[int, int]] = []
    for number in due:
        moving = sizes.get(number, 0)
        if not 0 < moving < GROUP_SIZE_MIN or any(into == number for _moved, into in merges):
            continue
        room = [n for n, size in sizes.items() if n != number and size > 0 and size + moving <= group_size]
        if not room:
            continue
        enough = [n for n in room if sizes[n] + moving >= GROUP_SIZE_MIN]
        into = min(enough, key=lambda n: (sizes[n], n)) if enough else min(room, key=lambda n: (-sizes[n], n))
        merges.append((number, into))
        sizes[into] += moving
        sizes[number] = 0
    return merges

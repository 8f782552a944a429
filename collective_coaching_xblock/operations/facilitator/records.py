"""Each member's progress for whole groups, read in three queries, and a member's state in a stage.

The dashboard's page of groups, the preview of a moderation, a regrouping and the export all
start from these records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...exercise import stages as st
from ...exercise.exercise import Exercise
from ...models import Contribution, Membership, Reflection
from ..groups import member_facts, opened_stages
from ..progress import MemberRecord, progress_by_member

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"


def _stage_state(stage: st.Stage, record: MemberRecord) -> str:
    if stage.id in record.progress.done:
        return DONE
    started = stage.id in record.progress.started or (stage.kind == st.WITNESS and record.reflections_given)
    return IN_PROGRESS if started else NOT_STARTED


@dataclass
class _GroupRows:
    """The rows of some groups that their members' progress is computed from (three queries)."""

    members: list[Membership]  # with ``groups.member_facts``: opened stages, tags, overrides
    contributions: list[Contribution]
    reflections: list[Reflection]
    tagged: set[int]
    opened: dict[int, frozenset[str]]

    @classmethod
    def load(cls, exercise: Exercise, group_ids: list[int]) -> _GroupRows:
        members = list(
            Membership.objects.filter(group_id__in=group_ids)
            .annotate(**member_facts(tagged=True))
            .order_by("group_id", "joined", "id")
        )
        return cls(
            members=members,
            contributions=list(
                Contribution.objects.filter(author__group_id__in=group_ids).only(
                    "id", "author_id", "stage_id", "text", "sharing", "state", "hidden"
                )
            ),
            reflections=list(
                Reflection.objects.filter(author__group_id__in=group_ids).only(
                    "id", "author_id", "contribution_id", "hidden", "response_hidden"
                )
            ),
            tagged={member.pk for member in members if member.tagged},
            opened={member.group_id: opened_stages(member) for member in members},
        )

    def records(self, exercise: Exercise, now: datetime) -> dict[int, MemberRecord]:
        """Each member's progress from these rows, as they are in memory (no query)."""
        return progress_by_member(
            exercise, self.members, self.contributions, self.reflections, self.tagged, self.opened, now
        )


def _member_records(exercise: Exercise, group_ids: list[int], now: datetime):
    """Members (with ``groups.member_facts``) and their records for these groups: three queries."""
    rows = _GroupRows.load(exercise, group_ids)
    return rows.members, rows.records(exercise, now)

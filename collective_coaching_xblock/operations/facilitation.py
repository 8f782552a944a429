"""The facilitator's operations under their name before issue 13; ``operations/facilitator/`` holds them.

Code that imports ``operations.facilitation`` finds the same functions here. The dashboard's page
size stays one value: ``GROUPS_PER_PAGE`` read or set on this module is ``dashboard.GROUPS_PER_PAGE``.
"""

from __future__ import annotations

import sys
from types import ModuleType

from .facilitator import dashboard
from .facilitator.assignment import assign_facilitator
from .facilitator.dashboard import dashboard_data
from .facilitator.detail import group_detail
from .facilitator.moderation import HIDE_REASON_LENGTH, flag_queue, moderate
from .facilitator.records import DONE, IN_PROGRESS, NOT_STARTED, _member_records, _stage_state
from .facilitator.regrouping import merge_groups, move_member, split_group
from .facilitator.scope import Scope, facilitator_scope
from .facilitator.scores import override_score
from .facilitator.stages import open_stage, set_stage_dates

__all__ = [
    "DONE",
    "HIDE_REASON_LENGTH",
    "IN_PROGRESS",
    "NOT_STARTED",
    "Scope",
    "_member_records",
    "_stage_state",
    "assign_facilitator",
    "dashboard_data",
    "facilitator_scope",
    "flag_queue",
    "group_detail",
    "merge_groups",
    "moderate",
    "move_member",
    "open_stage",
    "override_score",
    "set_stage_dates",
    "split_group",
]


class _Facilitation(ModuleType):
    """This module, whose ``GROUPS_PER_PAGE`` is the dashboard's own."""

    @property
    def GROUPS_PER_PAGE(self) -> int:
        return dashboard.GROUPS_PER_PAGE

    @GROUPS_PER_PAGE.setter
    def GROUPS_PER_PAGE(self, value: int) -> None:
        dashboard.GROUPS_PER_PAGE = value


sys.modules[__name__].__class__ = _Facilitation

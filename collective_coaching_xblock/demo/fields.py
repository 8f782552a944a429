"""The demo's field store: the workbench's own rows, each read once per request.

The workbench keeps a block's fields in one row per (scope, scope id, user) and reads that row
again for every field (its ``WorkbenchDjangoKeyValueStore.get``): a block with nine settings
costs nine SELECTs of the same row. The LMS reads authored settings from the modulestore, in
memory, and a learner's state through a cache filled per request (``FieldDataCache``). This
store keeps the workbench's table and its layout, and reads each row once for the life of its
runtime, which the workbench creates for each request: the demo's figures then count what the
block asks of the database, not how often the workbench re-reads one row.
See docs/decisions/0012-the-demo-reads-a-field-row-once.md.
"""

from __future__ import annotations

import copy
import json

from workbench.models import XBlockState
from workbench.runtime import WorkbenchDjangoKeyValueStore
from xblock.fields import Scope
from xblock.runtime import KvsFieldData


class _RowOnceKeyValueStore(WorkbenchDjangoKeyValueStore):
    """The workbench's store, with each row kept after its first read."""

    def __init__(self):
        self._rows: dict[tuple, tuple[XBlockState, dict]] = {}  # the row, and its fields parsed

    def _row(self, key) -> tuple[XBlockState, dict]:
        # The row's identity as XBlockState.get_for_key finds it: two scopes may share a row
        # (settings and user_state_summary do), and must then share its one copy here.
        scope = key.scope.attr_name if key.scope in (Scope.parent, Scope.children) else key.scope.block.attr_name
        cache_key = (scope, key.block_scope_id, key.user_id)
        if cache_key not in self._rows:
            row = XBlockState.get_for_key(key)
            self._rows[cache_key] = (row, json.loads(row.state))
        return self._rows[cache_key]

    def get(self, key):
        # A copy, as the workbench gives: a block changing a list it read changes nothing stored.
        return copy.deepcopy(self._row(key)[1][key.field_name])

    def has(self, key):
        return key.field_name in self._row(key)[1]

    def set(self, key, value):
        self._write(key, lambda state: state.__setitem__(key.field_name, value))

    def delete(self, key):
        self._write(key, lambda state: state.__delitem__(key.field_name))

    def _write(self, key, change) -> None:
        row, state = self._row(key)
        change(state)
        row.state = self._to_json_str(state)
        row.save()


class RequestFieldData(KvsFieldData):
    """``WORKBENCH['services']['field-data']``: a new store, and so a new row cache, per runtime."""

    def __init__(self):
        super().__init__(_RowOnceKeyValueStore())
        self.runtime = None  # set by the workbench right after construction

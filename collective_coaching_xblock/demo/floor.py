"""The runtime's own floor: what a trivial block costs in the same runtime (demo and tests only).

A page of the trivial block and a JSON handler of it that does nothing run the workbench's own
work (finding the block, reading its fields, parsing the request, answering) and none of ours.
Their SQL queries, counted in the same run as the block's, are the floor; what the coaching
block runs on top of it is its own. ``benchmarks/learner.py`` times them side by side and
``tests/querycount.py`` subtracts them.
"""

from __future__ import annotations

import functools
import json

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from web_fragments.fragment import Fragment
from workbench.runtime import WorkbenchRuntime
from xblock.core import XBlock

FLOOR_TAG = "cc_floor"


class FloorBlock(XBlock):
    """A trivial block: a one-line page and a JSON handler that does nothing."""

    def student_view(self, context=None):
        return Fragment("<p>floor</p>")

    @XBlock.json_handler
    def noop(self, data, suffix=""):
        return {}


def with_floor_block(function):
    """Run ``function`` with the trivial block loadable by its tag (it has no entry point)."""
    registered = XBlock.register_temp_plugin(FloorBlock, FLOOR_TAG)(function)

    @functools.wraps(function)
    def run(*args, **kwargs):
        if any(name == FLOOR_TAG for name, _entry_point in XBlock.extra_entry_points):
            return function(*args, **kwargs)  # already loadable (a caller registered it)
        return registered(*args, **kwargs)

    return run


def add_floor_block(scenario: str = "floor") -> str:
    """Parse a trivial block into the workbench; call inside ``with_floor_block``."""
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario(scenario)
    return runtime.parse_xml_string(f"<{FLOOR_TAG}/>")


def render_page(usage_id: str, student: str) -> None:
    """The learner's view of a block, rendered as the workbench renders a unit."""
    WorkbenchRuntime(student).get_block(usage_id).render("student_view", {})


def post_handler(client: Client, usage_id: str, student: str, handler: str, body) -> dict:
    """One JSON handler call through the workbench's handler route; 200 expected."""
    response = client.post(
        f"/handler/{usage_id}/{handler}/?student={student}", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, (handler, response.status_code, response.content[:300])
    return json.loads(response.content)


def count_queries(action) -> int:
    """SQL queries run by ``action()``."""
    reset_queries()  # the query log is a bounded deque: a full one would count nothing
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def floor_queries(client: Client | None = None, student: str = "floor-learner") -> dict[str, int]:
    """The runtime's floor in queries: ``{"page": ..., "handler": ...}`` of the trivial block.

    Each is counted on a second call, as the block's own figures are: the first call of a new
    student may create the runtime's rows for them.
    """
    client = client or Client()

    @with_floor_block
    def measure():
        usage_id = add_floor_block(f"floor-{student}")
        render_page(usage_id, student)
        post_handler(client, usage_id, student, "noop", {})
        return {
            "page": count_queries(functools.partial(render_page, usage_id, student)),
            "handler": count_queries(functools.partial(post_handler, client, usage_id, student, "noop", {})),
        }

    return measure()

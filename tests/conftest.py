"""Shared fixtures: the real xblock-sdk workbench runtime over a real SQLite database."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from workbench.runtime import WorkbenchRuntime
from workbench.runtime_util import reset_global_state
from workbench.scenarios import get_scenarios

from .querycount import floor  # noqa: F401 - a fixture: the runtime's floor in queries


@dataclass
class HandlerResult:
    status: int
    body: dict


class Workbench:
    """Opens units and calls JSON handlers as any student id, through the workbench's own views."""

    def __init__(self):
        self.client = Client()
        self.usage_id = get_scenarios()["collective_coaching.0"].usage_id  # GINA, group size 3

    def add_block(self, xml: str) -> str:
        """Parse a block from OLX into the workbench and return its usage id."""
        runtime = WorkbenchRuntime()
        runtime.id_generator.set_scenario("test")
        return runtime.parse_xml_string(xml)

    def block(self, student: str, usage_id: str | None = None):
        """The block as the runtime builds it for ``student``."""
        return WorkbenchRuntime(student).get_block(usage_id or self.usage_id)

    def open_unit(self, student: str, usage_id: str | None = None) -> str:
        """Render the learner view for ``student`` (this is what joins a group)."""
        block = self.block(student, usage_id)
        return block.render("student_view", {}).body_html()

    def call(
        self,
        student: str,
        handler: str,
        body=None,
        usage_id: str | None = None,
        raw: bytes | None = None,
        language: str = "en",
    ):
        url = f"/handler/{usage_id or self.usage_id}/{handler}/?student={student}"
        payload = raw if raw is not None else json.dumps({} if body is None else body)
        response = self.client.post(url, data=payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
        try:
            parsed = json.loads(response.content.decode("utf-8"))
        except ValueError:
            parsed = {"_raw": response.content.decode("utf-8", "replace")}
        return HandlerResult(response.status_code, parsed)

    def ok(self, student: str, handler: str, body=None, usage_id: str | None = None) -> dict:
        result = self.call(student, handler, body, usage_id)
        assert result.status == 200, (result.status, result.body)
        return result.body


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in another (the demo runs Django's
    LocaleMiddleware) leaves its language active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back after a test, the cache is
    not, and the workbench gives blocks the same ids in every test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def workbench(db):
    """A fresh workbench with the demo's seeded cohorts and people."""
    reset_global_state()
    call_command("seed_demo", verbosity=0)
    return Workbench()


@pytest.fixture
def published(monkeypatch):
    """Every event the block publishes through the runtime, as (student, event type, data)."""
    events = []
    original = WorkbenchRuntime.publish

    def spy(runtime, block, event_type, event_data):
        events.append((runtime.user_id, event_type, event_data))
        return original(runtime, block, event_type, event_data)

    monkeypatch.setattr(WorkbenchRuntime, "publish", spy)
    return events

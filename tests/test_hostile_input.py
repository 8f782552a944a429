"""Hypothesis-generated bodies against every JSON handler: never a 5xx, never a partial write."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collective_coaching_xblock.block import MAX_JSON_DEPTH, _nested_too_deeply

from .test_authorization_matrix import snapshot

LEARNER_HANDLERS = (
    "get_state",
    "join_group",
    "submit_contribution",
    "withdraw_contribution",
    "submit_reflection",
    "respond_to_reflection",
    "tag_themes",
    "save_group_plan",
    "flag_content",
    "save_draft",
)
FACILITATOR_HANDLERS = (
    "dashboard_data",
    "group_detail",
    "live_session",
    "moderate",
    "open_stage",
    "set_stage_dates",
    "move_member",
    "split_group",
    "merge_groups",
    "override_score",
    "assign_facilitator",
    "save_settings",
)
FIELDS = (
    "stage_id",
    "text",
    "sharing",
    "contribution_id",
    "reflection_id",
    "answers",
    "themes",
    "version",
    "kind",
    "id",
    "reason",
    "cohort",
    "page",
    "group_id",
    "member_id",
    "member_ids",
    "into_group_id",
    "score",
    "action",
    "flag_id",
    "all",
    "opens",
    "closes",
    "username",
    "cohorts",
    "stages",
    "group_size",
    "display_name",
)

unicode_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    ["", "\x00", "\u202e", "💬" * 3, "a" * 25_000, "<script>alert(1)</script>", "=1+1", "0", "-1"]
)
scalars = st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | unicode_text
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(unicode_text, inner, max_size=4), max_leaves=12
)
bodies = st.dictionaries(st.sampled_from(FIELDS) | unicode_text, json_values, max_size=6) | json_values


@pytest.fixture
def running(workbench):
    for student in ("alice", "bob", "carol"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} story", "sharing": "group"}
        )
    return workbench


def encode(body) -> bytes:
    return json.dumps(body, allow_nan=True).encode()


@pytest.mark.parametrize(
    ("student", "handler"), [("bob", h) for h in LEARNER_HANDLERS] + [("facilitator", h) for h in FACILITATOR_HANDLERS]
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_hostile_bodies_never_cause_a_5xx_or_a_partial_write(running, student, handler, body):
    before = snapshot()
    result = running.call(student, handler, raw=encode(body))
    assert result.status < 500, (handler, body, result.body)
    if result.status != 200:
        assert "error" in result.body
        assert snapshot() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.sampled_from([b"", b"{", b"[1,", b'{"a":' * 500, b"\xff\xfe", b"nan"]))
def test_bytes_that_are_not_json_get_400(running, raw):
    before = snapshot()
    result = running.call("bob", "submit_contribution", raw=raw)
    assert result.status < 500
    if result.status != 200:
        assert snapshot() == before


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 100_000])
def test_deeply_nested_json_is_refused_cleanly(running, depth):
    """The block's own depth limit answers, the same on every Python (3.13 parses what 3.11 cannot)."""
    before = snapshot()
    for deep in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        result = running.call("bob", "submit_contribution", raw=deep.encode())
        assert result.status == 400 and result.body["error"] == "The request body is not valid JSON."
    assert snapshot() == before


def test_nesting_up_to_the_limit_and_brackets_inside_strings_are_json():
    assert not _nested_too_deeply("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert _nested_too_deeply("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    assert not _nested_too_deeply(json.dumps({"text": "[" * 1000 + '\\"{' * 100}))


def test_a_body_at_the_depth_limit_reaches_the_handler(running):
    body = {"stage_id": "tell", "text": "x", "sharing": "group", "extra": json.loads("[" * 30 + "]" * 30)}
    result = running.call("bob", "submit_contribution", raw=json.dumps(body).encode())
    assert result.body.get("error") != "The request body is not valid JSON."

"""Input that looks empty or alike, and malformed values in every Studio and facilitator handler.

- Text that is blank once invisible characters are removed is refused (400, nothing written)
  wherever text is required, so it cannot complete a stage or unlock peers' stories.
- Themes are normalised before they are stored and compared, so look-alikes are one theme.
- Hypothesis puts malformed values (lists and objects for scalars, digits of other scripts, NaN
  and Infinity, dates that overflow in UTC, lone surrogates, huge numbers) into each field of a
  valid body of every Studio and facilitator handler: never a 5xx, never a write on refusal.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collective_coaching_xblock import authoring
from collective_coaching_xblock.exercise.settings import EDITABLE_FIELDS
from collective_coaching_xblock.models import Contribution, Membership, Reflection, ThemeTag

from .test_authorization_matrix import snapshot

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200b\u200c\u200d\u2060",  # zero-width non-joiner, joiner, word joiner
    "\u202e\u202c\u2066\u2069",  # bidi controls
    "\u00ad\u00ad",  # soft hyphens
    "\ufeff",  # byte-order mark
    " \t\u3000\u00a0",  # spaces of several kinds
    "\u180e\u115f\u3164\u2800",  # Mongolian vowel separator, Hangul fillers, braille blank
    "\ufe0f\u034f",  # a variation selector and the combining grapheme joiner
]


@pytest.fixture
def trio(workbench):
    for student in ("alice", "bob", "carol"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
    for student in ("alice", "bob"):
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} tells", "sharing": "group"}
        )
    group_id = Membership.objects.get(learner_key="alice").group_id
    for stage_id in ("themes", "act"):
        workbench.ok("facilitator", "open_stage", {"stage_id": stage_id, "group_id": group_id})
    return workbench


def _story(student):
    return Contribution.objects.get(author__learner_key=student, stage_id="tell").pk


def _blank_requests(blank):
    story = _story("alice")
    return [
        ("carol", "submit_contribution", {"stage_id": "tell", "text": blank, "sharing": "group"}),
        ("carol", "submit_contribution", {"stage_id": "act", "text": blank, "sharing": "group"}),
        (
            "alice",
            "submit_reflection",
            {"contribution_id": _story("bob"), "answers": {"attention": blank, "image": blank}},
        ),
        ("alice", "respond_to_reflection", {"reflection_id": Reflection.objects.get().pk, "text": blank}),
        ("carol", "tag_themes", {"themes": [{"theme": blank, "structural": True}]}),
        ("carol", "save_group_plan", {"text": blank, "version": 0}),
        ("carol", "flag_content", {"kind": "contribution", "id": story, "reason": blank}),
        ("facilitator", "moderate", {"action": "hide", "kind": "contribution", "id": story, "reason": blank}),
        (
            "facilitator",
            "override_score",
            {"member_id": Membership.objects.get(learner_key="bob").member_id, "score": 1, "reason": blank},
        ),
    ]


@pytest.mark.parametrize("blank", INVISIBLE, ids=[json.dumps(b) for b in INVISIBLE])
def test_text_that_is_blank_once_invisible_characters_go_is_refused_everywhere(trio, blank):
    trio.ok("bob", "submit_reflection", {"contribution_id": _story("alice"), "answers": {"attention": "Heard."}})
    trio.ok("alice", "respond_to_reflection", {"reflection_id": Reflection.objects.get().pk, "text": "Thanks."})
    before = snapshot()
    for student, handler, body in _blank_requests(blank):
        result = trio.call(student, handler, body)
        assert result.status == 400 and result.body["error"], (handler, body)
        assert snapshot() == before, handler
    # A blank story neither completes the stage nor unlocks peers' stories.
    state = trio.ok("carol", "get_state")
    assert state["stages"][1]["status"] != "done"
    assert not [c for c in state["contributions"] if not c["mine"]]


def test_look_alike_themes_are_one_theme(trio):
    for student, theme in (("alice", "Childcare"), ("bob", "ＣＨＩＬＤ\u200bCARE")):
        trio.ok(student, "tag_themes", {"themes": [{"theme": theme, "structural": True}]})
    trio.ok("alice", "tag_themes", {"themes": [{"theme": "child  care", "structural": False}]})
    assert set(ThemeTag.objects.values_list("theme", flat=True)) == {"childcare", "child care"}
    theme_map = trio.ok("bob", "get_state")["themes"]["map"]
    assert [(t["theme"], t["members"]) for t in theme_map] == [("childcare", 1), ("child care", 1)] or (
        sorted((t["theme"], t["members"]) for t in theme_map) == [("child care", 1), ("childcare", 1)]
    )
    trio.ok("alice", "tag_themes", {"themes": [{"theme": "CHILDCARE", "structural": True}]})
    theme_map = trio.ok("bob", "get_state")["themes"]["map"]
    assert [(t["theme"], t["members"], t["structural"]) for t in theme_map] == [("childcare", 2, 2)]


def test_theme_length_is_counted_after_normalisation(trio):
    # U+FDFA is one character that NFKC expands to 18: ten of them are 180 characters once stored.
    refused = trio.call("alice", "tag_themes", {"themes": [{"theme": "\ufdfa" * 10, "structural": False}]})
    assert refused.status == 400 and not ThemeTag.objects.exists()
    trio.ok("alice", "tag_themes", {"themes": [{"theme": "x" * 100 + "\u200b" * 50, "structural": False}]})
    assert ThemeTag.objects.get().theme == "x" * 100


# --- malformed values, generated ------------------------------------------------------------------

OTHER_DIGITS = ["١٢", "۴", "߃", "²", "५", "௭", "๓", "𝟘", "Ⅻ", "12\u200b", "+4", "4.0", "0x4", "1e3"]
OVERFLOWING_DATES = [
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999999-00:01",
    "0001-01-01T00:00:00+23:59",
    "2024-02-30T00:00:00+00:00",
    "2024-01-01T00:00:00",
    "2024-01-01",
]
scalar = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(OTHER_DIGITS + OVERFLOWING_DATES + ["", "\ud800", "a\udfffb", "\x00", "\u200b", "NaN"])
    | st.text(max_size=12)
)
malformed = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _valid_bodies(wb):
    alice, bob = (Membership.objects.get(learner_key=s) for s in ("alice", "bob"))
    return {
        "dashboard_data": {"cohort": "cohort-a", "page": 1},
        "group_detail": {"group_id": alice.group_id},
        "live_session": {"group_id": alice.group_id, "show_stories": True, "names": False, "since": ""},
        "moderate": {"action": "hide", "kind": "contribution", "id": _story("alice"), "reason": "r", "preview": True},
        "open_stage": {"stage_id": "themes", "group_id": alice.group_id, "all": False, "cohort": "cohort-a"},
        "set_stage_dates": {"stage_id": "tell", "opens": "2020-01-01T00:00:00+00:00", "closes": "2099-01-01T00:00:00Z"},
        "move_member": {"member_id": bob.member_id, "group_id": alice.group_id},
        "split_group": {"group_id": alice.group_id, "member_ids": [bob.member_id]},
        "merge_groups": {"group_id": alice.group_id, "into_group_id": alice.group_id},
        "override_score": {"member_id": bob.member_id, "score": 1, "reason": "r"},
        "assign_facilitator": {"username": "facilitator_b", "cohorts": ["cohort-b"]},
    }


def _state(wb):
    block = wb.block("facilitator")
    return snapshot(), json.dumps(authoring.current_settings(block), sort_keys=True, default=str)


def _encode(body) -> bytes:
    return json.dumps(body, allow_nan=True).encode()


FACILITATOR_HANDLERS = sorted(
    ["dashboard_data", "group_detail", "live_session", "moderate", "open_stage", "set_stage_dates", "move_member"]
    + ["split_group", "merge_groups", "override_score", "assign_facilitator"]
)


@pytest.mark.parametrize("handler", FACILITATOR_HANDLERS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_values_in_facilitator_handlers_answer_4xx(trio, handler, data):
    body = dict(_valid_bodies(trio)[handler])
    field = data.draw(st.sampled_from(sorted(body)))
    body[field] = data.draw(malformed)
    before = _state(trio)
    result = trio.call("facilitator", handler, raw=_encode(body))
    assert result.status < 500, (handler, body, result.body)
    if result.status != 200:
        assert result.body.get("error"), result.body
        assert _state(trio) == before


SETTINGS_FIELDS = [name for name in EDITABLE_FIELDS if name != "stages"]
STAGE_FIELDS = ["id", "kind", "title", "instructions", "prompts", "graded", "weight", "pacing", "opens", "closes"]
STAGE_FIELDS += ["min_words", "max_words", "facilitator_notes"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_malformed_values_in_studio_settings_answer_4xx_and_save_nothing(trio, data):
    body = authoring.current_settings(trio.block("facilitator"))
    if data.draw(st.booleans()):
        body[data.draw(st.sampled_from(SETTINGS_FIELDS))] = data.draw(malformed)
    else:
        stages = [dict(stage) for stage in body["stages"]]
        index = data.draw(st.integers(min_value=0, max_value=len(stages) - 1))
        stages[index][data.draw(st.sampled_from(STAGE_FIELDS))] = data.draw(malformed)
        body["stages"] = stages
    before = _state(trio)
    result = trio.call("facilitator", "save_settings", raw=_encode(body))
    assert result.status < 500, (body, result.body)
    if result.status != 200:
        assert result.body.get("error"), result.body
        assert _state(trio) == before
    else:  # what was saved can be read back and used
        trio.block("alice").exercise()
        assert trio.call("alice", "get_state").status == 200


@pytest.mark.parametrize("value", OVERFLOWING_DATES[:4])
def test_dates_that_overflow_in_utc_answer_400(trio, value):
    for body in ({"stage_id": "tell", "opens": value}, {"stage_id": "tell", "closes": value}):
        result = trio.call("facilitator", "set_stage_dates", body)
        assert result.status == 400 and result.body["error"]
    settings_body = authoring.current_settings(trio.block("facilitator"))
    settings_body["stages"] = [
        dict(stage, closes=value) if stage["id"] == "act" else stage for stage in settings_body["stages"]
    ]
    result = trio.call("facilitator", "save_settings", settings_body)
    assert result.status == 400 and result.body["error"]


@pytest.mark.parametrize("value", OTHER_DIGITS)
def test_digits_of_other_scripts_are_not_numbers(trio, value):
    body = {**authoring.current_settings(trio.block("facilitator")), "group_size": value}
    result = trio.call("facilitator", "save_settings", body)
    assert result.status == 400 and "group size" in result.body["error"]


@pytest.mark.parametrize(
    "raw", [b'{"score": NaN}', b'{"score": Infinity}', b'{"score": -Infinity}', b'{"text": "\\ud800"}']
)
def test_nan_infinity_and_lone_surrogates_are_not_valid_json_here(trio, raw):
    for student, handler in (("facilitator", "override_score"), ("carol", "submit_contribution")):
        result = trio.call(student, handler, raw=raw)
        assert result.status == 400 and result.body["error"] == "The request body is not valid JSON."

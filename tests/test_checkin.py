"""Check-ins before and after: answers that count for completion, read by the learner and their
facilitators only, and figures a career service can report once enough learners answered both."""

from __future__ import annotations

import json

import pytest

from collective_coaching_xblock.exercise import checkin
from collective_coaching_xblock.exercise.stages import StageConfigError, stage_from_dict
from collective_coaching_xblock.exercise.templates import TEMPLATES
from collective_coaching_xblock.models import Contribution, Membership

from .test_authoring import save

ITEMS = ["hope", "agency", "clarity", "shared", "structural"]


@pytest.fixture
def unit(workbench):
    """The GINA exercise between two check-ins (the built-in template)."""
    stages = [dict(stage) for stage in TEMPLATES["gina_checkin"].stages]
    assert save(workbench, "facilitator", {"template": "gina_checkin", "stages": stages}).status == 200
    return workbench


def answers(value=3, **changes):
    return {**dict.fromkeys(ITEMS, value), **changes}


def test_a_check_in_is_never_graded_and_needs_statements():
    with pytest.raises(StageConfigError, match="never for the score"):
        stage_from_dict({"id": "c", "kind": "checkin", "graded": True, "prompts": [{"id": "a", "text": "A"}]})
    with pytest.raises(StageConfigError, match="1 to 12 statements"):
        stage_from_dict({"id": "c", "kind": "checkin"})
    assert not stage_from_dict({"id": "c", "kind": "checkin", "prompts": [{"id": "a", "text": "A"}]}).graded


def test_answering_completes_the_stage_and_never_changes_the_score(unit):
    unit.open_unit("alice")
    before = unit.ok("alice", "get_state")
    assert before["stages"][0] == {
        "id": "checkin_before",
        "kind": "checkin",
        "title": "Check-in: where you start",
        "status": "open",
        "waiting": False,
    }
    unit.ok("alice", "submit_contribution", {"stage_id": "checkin_before", "answers": answers(2, hope="prefer_not")})
    state = unit.ok("alice", "get_state")
    assert state["stages"][0]["status"] == "done" and state["stages"][1]["status"] == "open"
    assert state["score"] == before["score"]
    assert {i["id"]: i["before"] for i in state["checkin"]["items"]} == {
        **dict.fromkeys(ITEMS, 2),
        "hope": "prefer_not",
    }
    # The page shows the saved answers checked.
    page = unit.open_unit("alice")
    assert 'name="agency" value="2" required checked' in page


@pytest.mark.parametrize(
    "bad",
    [
        None,
        ["hope"],
        {"hope": 3},  # every statement must be answered
        answers(6),
        answers(0),
        answers(True),
        answers("3"),
        answers(3, unknown=1),
        answers(2.5),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(unit, bad):
    unit.open_unit("alice")
    result = unit.call("alice", "submit_contribution", {"stage_id": "checkin_before", "answers": bad})
    assert result.status == 400 and "Answer every statement" in result.body["error"]
    assert not Contribution.objects.filter(stage_id="checkin_before").exists()


def test_peers_never_read_answers_and_facilitators_read_them_only_as_counts_on_the_dashboard(unit):
    for student in ("alice", "bob"):
        unit.open_unit(student)
    unit.ok("alice", "submit_contribution", {"stage_id": "checkin_before", "answers": answers(1)})
    bob = json.dumps(unit.ok("bob", "get_state"))
    assert "hope" not in bob.replace('"checkin"', "") or '"before": 1' not in bob
    assert all(c["stage_id"] != "checkin_before" for c in unit.ok("bob", "get_state")["contributions"])
    group = Membership.objects.get(learner_key="alice").group_id
    detail = unit.ok("facilitator", "group_detail", {"group_id": group})
    assert all(c["stage_id"] != "checkin_before" for c in detail["contributions"])
    # Her own download holds her answers.
    mine = unit.client.get(f"/handler/{unit.usage_id}/download_my_data/?student=alice").content.decode()
    assert "checkin_before" in mine and '\\"hope\\":1' in mine


def _answered(unit, students, before, after):
    """Learners who answered both check-ins (written as the stage would store them)."""
    for student in students:
        unit.open_unit(student)
        member = Membership.objects.get(learner_key=student)
        Contribution.objects.create(
            author=member, stage_id="checkin_before", text=checkin.dump(before), sharing="facilitator"
        )
        Contribution.objects.create(
            author=member, stage_id="checkin_after", text=checkin.dump(after), sharing="facilitator"
        )


def test_the_dashboard_shows_each_statement_before_and_after_from_five_paired_learners(unit):
    _answered(unit, ["alice", "bob", "carol", "dan"], answers(2), answers(4, shared="prefer_not"))
    outcomes = unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})["outcomes"]
    assert outcomes["threshold"] == 5 and [i["id"] for i in outcomes["items"]] == ITEMS
    hope = outcomes["cohort"][0]
    assert hope == {  # four learners: nothing but how many
        "item": "hope",
        "paired": 4,
        "shown": False,
        "before": {},
        "after": {},
        "compared": 0,
        "mean_before": None,
        "mean_after": None,
        "mean_change": None,
    }
    _answered(unit, ["erin"], answers(3), answers(5))
    figures = {
        f["item"]: f for f in unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})["outcomes"]["cohort"]
    }
    hope = figures["hope"]
    assert hope["shown"] and hope["paired"] == 5 and hope["compared"] == 5
    assert hope["before"] == {"1": 0, "2": 4, "3": 1, "4": 0, "5": 0, "prefer_not": 0}
    assert hope["after"] == {"1": 0, "2": 0, "3": 0, "4": 4, "5": 1, "prefer_not": 0}
    assert (hope["mean_before"], hope["mean_after"], hope["mean_change"]) == (2.2, 4.2, 2.0)
    shared = figures["shared"]  # "prefer not to say" counts as paired, not in the means
    assert shared["paired"] == 5 and shared["compared"] == 1 and shared["after"]["prefer_not"] == 4
    # Cohort B has none; a facilitator of Cohort B alone sees no Cohort A learner in the unit's figures.
    other = unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-b"})["outcomes"]
    assert other["cohort"][0]["paired"] == 0 and other["unit"][0]["paired"] == 5
    limited = unit.ok("facilitator_b", "dashboard_data")["outcomes"]
    assert limited["unit"][0]["paired"] == 0
    # A withdrawn answer no longer counts.
    Contribution.objects.filter(author__learner_key="erin", stage_id="checkin_after").update(state="withdrawn")
    again = unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})["outcomes"]["cohort"][0]
    assert again["paired"] == 4 and not again["shown"]


def test_an_operator_may_raise_the_threshold_never_lower_it():
    figures = checkin.figures(["a"], {i: {"a": 2} for i in range(6)}, {i: {"a": 3} for i in range(6)}, min_paired=8)
    assert not figures[0].shown and figures[0].paired == 6
    figures = checkin.figures(["a"], {i: {"a": 2} for i in range(6)}, {i: {"a": 3} for i in range(6)}, min_paired=1)
    assert figures[0].shown and figures[0].mean_change == 1.0
    few = checkin.figures(["a"], {i: {"a": 2} for i in range(4)}, {i: {"a": 3} for i in range(4)}, min_paired=1)
    assert not few[0].shown


def test_the_learner_sees_their_own_before_and_after(unit):
    _answered(unit, ["alice"], answers(2), answers(4))
    mine = unit.ok("alice", "get_state")["checkin"]
    assert mine["before"] == "checkin_before" and mine["after"] == "checkin_after"
    assert mine["items"][0] == {
        "id": "hope",
        "text": "I can see ways forward in my working life.",
        "before": 2,
        "after": 4,
    }
    unit.open_unit("bob")
    assert unit.ok("bob", "get_state")["checkin"]["items"][0]["before"] is None


def test_the_export_holds_the_figures_without_texts_and_each_learners_answers_only_with_texts(unit):
    _answered(unit, ["alice", "bob", "carol", "dan", "erin"], answers(4), answers(3))
    base = f"/handler/{unit.usage_id}/export_csv/?student=facilitator&cohort=cohort-a"
    figures = unit.client.get(base + "&part=outcomes").content.decode("utf-8-sig").splitlines()
    assert figures[0].startswith("scope,item,statement,paired,shown,mean_before,mean_after,mean_change,before:1")
    assert figures[1].startswith(
        "cohort-a,hope,I can see ways forward in my working life.,5,True,4.0,3.0,-1.0,0,0,0,5,0"
    )
    plain = unit.client.get(base).content.decode()
    assert '"hope"' not in plain and "hope" not in plain  # the learners' file without texts holds no answer
    with_texts = unit.client.get(base + "&texts=1").content.decode()
    assert "text:checkin_before" in with_texts.splitlines()[0] and '""hope"":4' in with_texts
    assert unit.client.get(base.replace("facilitator", "alice") + "&part=outcomes").status_code == 403


def test_events_say_that_a_learner_answered_never_what(unit, published):
    unit.open_unit("alice")
    published.clear()
    unit.ok("alice", "submit_contribution", {"stage_id": "checkin_before", "answers": answers(5)})
    (event,) = [data for _user, name, data in published if name.endswith("contribution.submitted")]
    assert event["stage_id"] == "checkin_before" and event["words"] == 1  # how many words: never which
    assert not {"text", "answers", "hope"} & set(event)
    assert not any("hope" in json.dumps(data) for _user, _name, data in published)

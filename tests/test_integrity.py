"""Integrity under moderation, regrouping, retirement and a learner's request for their data.

Each test here states one rule of docs/privacy.md or docs/decisions/0009-0010, through the
real handlers of the workbench runtime over a real database.
"""

from __future__ import annotations

import json

import pytest

from collective_coaching_xblock.models import Contribution, Flag, Membership, Reflection, ScoreOverride
from collective_coaching_xblock.retirement import retire_user


@pytest.fixture
def trio(workbench):
    """alice, bob, carol in group 1 (Cohort A, groups of three); each consented and shared a story."""
    for student in ("alice", "bob", "carol"):
        workbench.open_unit(student)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"})
        workbench.ok(
            student, "submit_contribution", {"stage_id": "tell", "text": f"{student} tells", "sharing": "group"}
        )
    return workbench


def story(student):
    return Contribution.objects.get(author__learner_key=student, stage_id="tell")


def member(student):
    return Membership.objects.get(learner_key=student)


def flags_shown(wb):
    return wb.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"})["flags"]


# --- flags: the copy the reporter saw -------------------------------------------------------------


@pytest.mark.parametrize("later", ["edited", "private", "withdrawn"])
def test_a_flag_shows_what_the_reporter_saw_never_later_text(trio, later):
    trio.ok("bob", "flag_content", {"kind": "contribution", "id": story("alice").pk, "reason": "It names my boss."})
    if later == "edited":
        trio.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "LATER TEXT", "sharing": "group"})
    elif later == "private":
        trio.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "LATER TEXT", "sharing": "private"})
    else:
        trio.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "LATER TEXT", "sharing": "group"})
        trio.ok("alice", "withdraw_contribution", {"contribution_id": story("alice").pk})
    (flag,) = flags_shown(trio)
    assert flag["text"] == "alice tells" and flag["reason"] == "It names my boss."
    assert flag["withdrawn"] is (later == "withdrawn")
    page = trio.open_unit("facilitator")  # the dashboard's page payload
    assert "LATER TEXT" not in json.dumps(flags_shown(trio)) and "LATER TEXT" not in page
    # Resolving the flag erases the copy.
    trio.ok("facilitator", "moderate", {"action": "resolve", "flag_id": flag["id"]})
    assert Flag.objects.get().copy == "" and flags_shown(trio) == []


def test_an_item_the_reader_cannot_read_cannot_be_flagged(trio):
    trio.ok("bob", "submit_reflection", {"contribution_id": story("alice").pk, "answers": {"attention": "Heard."}})
    reflection = Reflection.objects.get()
    trio.ok("alice", "respond_to_reflection", {"reflection_id": reflection.pk, "text": "Thanks, Bob."})
    trio.ok("facilitator", "moderate", {"action": "hide", "kind": "response", "id": reflection.pk, "reason": "Unkind."})
    refused = trio.call("bob", "flag_content", {"kind": "response", "id": reflection.pk, "reason": "harm"})
    assert refused.status == 404 and not Flag.objects.exists()
    trio.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "now private", "sharing": "private"})
    refused = trio.call("bob", "flag_content", {"kind": "contribution", "id": story("alice").pk, "reason": "harm"})
    assert refused.status == 404 and not Flag.objects.exists()


# --- moderation ----------------------------------------------------------------------------------


def test_a_hide_needs_a_reason_which_the_author_reads_and_hidden_work_still_counts(trio):
    alice_story = story("alice").pk
    before = trio.ok("alice", "get_state")["score"]
    no_reason = trio.call("facilitator", "moderate", {"action": "hide", "kind": "contribution", "id": alice_story})
    assert no_reason.status == 400 and not story("alice").hidden
    blank = {"action": "hide", "kind": "contribution", "id": alice_story, "reason": "\u200b \u2060"}
    assert trio.call("facilitator", "moderate", blank).status == 400
    trio.ok("facilitator", "moderate", {**blank, "reason": "It names a colleague."})
    state = trio.ok("alice", "get_state")
    (mine,) = [c for c in state["contributions"] if c["mine"] and c["stage_id"] == "tell"]
    assert mine["hidden"] and mine["hidden_reason"] == "It names a colleague."
    assert state["score"] == before  # hidden work still counts (docs/decisions/0010)
    bob = trio.ok("bob", "get_state")
    assert "It names a colleague." not in json.dumps(bob) and alice_story not in [c["id"] for c in bob["contributions"]]


def test_the_facilitator_is_told_before_a_hide_that_changes_progress(trio):
    # Bob witnesses Carol only; with Alice's and Carol's stories to witness he needs both (two required).
    trio.ok("bob", "submit_reflection", {"contribution_id": story("carol").pk, "answers": {"attention": "Heard."}})
    assert trio.ok("bob", "get_state")["stages"][2]["status"] != "done"
    hide = {"action": "hide", "kind": "contribution", "id": story("alice").pk, "reason": "Harmful."}
    preview = trio.ok("facilitator", "moderate", {**hide, "preview": True})["preview"]
    (change,) = preview["changes"]
    assert preview["author"] == {"id": member("alice").member_id, "name": "Alice"}  # told what the hide tells her
    assert change["member_id"] == member("bob").member_id and "witness" in change["stages_done_after"]
    assert not story("alice").hidden  # a preview changes nothing
    done = trio.ok("facilitator", "moderate", hide)
    assert done["changes"] == preview["changes"]
    # A hide that changes nobody's progress says so with an empty list.
    other = {"action": "hide", "kind": "contribution", "id": story("carol").pk, "reason": "x", "preview": True}
    assert trio.ok("facilitator", "moderate", other)["preview"]["changes"] == []


# --- regrouping ----------------------------------------------------------------------------------


def _progress(wb, student):
    state = wb.ok(student, "get_state")
    return {s["id"]: s["status"] for s in state["stages"]}, state["score"]["earned"]


@pytest.mark.parametrize("how", ["move", "split", "merge"])
def test_regrouping_never_lowers_a_learners_progress_or_score(workbench, how):
    wb = workbench
    students = ("alice", "bob", "carol", "dan", "erin", "farah")  # two groups of three in Cohort A
    for student in students:
        wb.open_unit(student)
        wb.ok(student, "submit_contribution", {"stage_id": "contract"})
        wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": f"{student} tells", "sharing": "group"})
    for witness, told in (("alice", "bob"), ("alice", "carol"), ("bob", "alice"), ("dan", "erin")):
        wb.ok(witness, "submit_reflection", {"contribution_id": story(told).pk, "answers": {"attention": "Heard."}})
    before = {s: _progress(wb, s) for s in students}
    assert before["alice"][0]["witness"] == "done" and before["dan"][0]["witness"] != "done"
    group_1, group_2 = member("alice").group_id, member("dan").group_id
    if how == "move":  # alice joins a group with two stories she has not witnessed
        wb.ok("facilitator", "move_member", {"member_id": member("alice").member_id, "group_id": group_2})
    elif how == "split":
        wb.ok("facilitator", "split_group", {"group_id": group_1, "member_ids": [member("alice").member_id]})
    else:  # merging brings three new stories to witness for everyone
        wb.call("facilitator", "move_member", {"member_id": member("farah").member_id, "group_id": group_1})
        wb.ok("facilitator", "merge_groups", {"group_id": group_2, "into_group_id": group_1})
    after = {s: _progress(wb, s) for s in students}
    order = {"locked": 0, "open": 1, "done": 2}
    for student in students:
        (stages_before, score_before), (stages_after, score_after) = before[student], after[student]
        assert score_after >= score_before, (student, how)
        for stage_id, status in stages_before.items():
            if status == "done":
                assert stages_after[stage_id] == "done", (student, stage_id, how)
            assert order[stages_after[stage_id]] >= min(order[status], 1), (student, stage_id, how)


def test_a_write_racing_a_move_answers_200_and_publishes_its_grade(trio, published, monkeypatch):
    """A facilitator moves Carol between the moment her request reads her membership and its write."""
    from collective_coaching_xblock.operations import groups as group_ops

    trio.open_unit("dan")
    dan_group = member("dan").group_id
    original = group_ops.find_membership

    def stale(exercise, person):
        found = original(exercise, person)
        if found is not None and person.key == "carol" and found.group_id != dan_group:
            Membership.objects.filter(pk=found.pk).update(group_id=dan_group)  # the move lands meanwhile
        return found

    monkeypatch.setattr("collective_coaching_xblock.block.find_membership", stale)
    published.clear()
    result = trio.call("carol", "submit_contribution", {"stage_id": "tell", "text": "Retold.", "sharing": "group"})
    assert result.status == 200, result.body
    names = [name for _user, name, _data in published]
    assert "grade" in names and "completion" in names
    assert member("carol").group_id == dan_group


# --- retirement ----------------------------------------------------------------------------------


def test_retirement_removes_reports_about_the_learner_and_the_override_reason_everywhere(trio):
    from submissions.models import ScoreAnnotation, Submission

    trio.ok("bob", "submit_reflection", {"contribution_id": story("alice").pk, "answers": {"attention": "Heard."}})
    trio.ok("bob", "flag_content", {"kind": "contribution", "id": story("alice").pk, "reason": "About alice."})
    trio.ok("alice", "flag_content", {"kind": "contribution", "id": story("carol").pk, "reason": "By alice."})
    reflection = Reflection.objects.get()
    trio.ok("alice", "respond_to_reflection", {"reflection_id": reflection.pk, "text": "Alice answers."})
    trio.ok("carol", "submit_reflection", {"contribution_id": story("alice").pk, "answers": {"attention": "Yes."}})
    trio.ok("bob", "flag_content", {"kind": "response", "id": reflection.pk, "reason": "Alice's response."})
    reason = "Alice told me privately about her illness."
    trio.ok("facilitator", "override_score", {"member_id": member("alice").member_id, "score": 3, "reason": reason})
    assert reason not in json.dumps(list(Submission.objects.values_list("answer", flat=True)))
    assert not ScoreAnnotation.objects.filter(reason__contains="illness").exists()
    alice = member("alice")
    retire_user(alice.user_id, alice.username)
    assert not Flag.objects.exists()  # no report about her words and none of hers is left
    assert not ScoreOverride.objects.exists()
    for text in ("alice tells", "Alice answers.", "About alice.", "By alice.", "Alice's response."):
        assert not Flag.objects.filter(copy__contains=text).exists() and not Flag.objects.filter(reason=text).exists()
    # A new item can never pick up an old flag: flags point at their item by foreign key.
    trio.ok("carol", "submit_reflection", {"contribution_id": story("bob").pk, "answers": {"attention": "New."}})
    assert flags_shown(trio) == []


# --- the learner's own data ----------------------------------------------------------------------


def test_download_my_data_holds_everything_about_the_learner_and_names_nobody_else(trio):
    wb = trio
    alice_story = story("alice").pk
    wb.ok("bob", "submit_reflection", {"contribution_id": alice_story, "answers": {"attention": "BOB REFLECTS"}})
    reflection = Reflection.objects.get()
    wb.ok("alice", "respond_to_reflection", {"reflection_id": reflection.pk, "text": "ALICE RESPONDS"})
    wb.ok("alice", "submit_reflection", {"contribution_id": story("carol").pk, "answers": {"image": "ALICE WITNESS"}})
    wb.ok(
        "carol",
        "respond_to_reflection",
        {"reflection_id": Reflection.objects.get(author__learner_key="alice").pk, "text": "CAROL ANSWERS ALICE"},
    )
    for stage_id in ("themes", "act"):
        wb.ok("facilitator", "open_stage", {"stage_id": stage_id, "group_id": member("alice").group_id})
    wb.ok("alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    wb.ok("alice", "save_group_plan", {"text": "ALICE'S PLAN", "version": 0})
    wb.ok("alice", "flag_content", {"kind": "contribution", "id": story("bob").pk, "reason": "ALICE'S FLAG REASON"})
    wb.ok("facilitator", "override_score", {"member_id": member("alice").member_id, "score": 2, "reason": "OVERRIDE"})
    wb.ok("facilitator", "moderate", {"action": "hide", "kind": "contribution", "id": alice_story, "reason": "HIDDEN"})
    data = json.loads(wb.client.get(f"/handler/{wb.usage_id}/download_my_data/?student=alice").content)
    text = json.dumps(data)
    for expected in (
        "alice tells",
        "BOB REFLECTS",
        "ALICE RESPONDS",
        "ALICE WITNESS",
        "CAROL ANSWERS ALICE",
        "ALICE'S PLAN",
        "ALICE'S FLAG REASON",
        "OVERRIDE",
        "HIDDEN",
        "Cohort A",
        member("alice").pseudonym,
    ):
        assert expected in text, expected
    assert data["group"] == member("alice").group.number and data["consent"]["state"] == "given"
    assert data["contributions"][1]["hidden_by_facilitator"] and data["themes"] == [
        {"theme": "time", "structural": True}
    ]
    # Nobody else is named: not the witness, not the facilitator, not the peers whose items she flagged.
    for other in ("bob", "Bob", "carol", "Carol", "bob tells", "carol tells"):
        assert other not in text, other
    assert [o["by"] for o in data["score_overrides"]] == ["a facilitator"]

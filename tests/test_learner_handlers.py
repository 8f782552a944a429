"""The learner's path through ``contract`` and ``tell``, through the real workbench runtime."""

from __future__ import annotations

import pytest

from collective_coaching_xblock.demo.models import DemoCohort, DemoPerson
from collective_coaching_xblock.models import Contribution, Membership


def consent(wb, student):
    return wb.ok(student, "submit_contribution", {"stage_id": "contract", "text": ""})


def tell(wb, student, text, sharing="group"):
    return wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": text, "sharing": sharing})


def member_names(state):
    return [member["name"] for member in state["group"]["members"]]


def test_opening_the_unit_shows_stages_group_cohort_and_score(workbench):
    html = workbench.open_unit("alice")
    for title in (
        "Our group contract",
        "Tell your career story",
        "Witness each other",
        "Name shared themes",
        "Re-author and act",
    ):
        assert title in html
    assert "Cohort: Cohort A" in html
    assert "Alice (you)" in html
    assert "You are the first in your group" in html
    state = workbench.ok("alice", "get_state")
    assert [(s["id"], s["status"]) for s in state["stages"]] == [
        ("contract", "open"),
        ("tell", "locked"),
        ("witness", "locked"),
        ("themes", "locked"),
        ("act", "locked"),
    ]
    assert state["group"]["cohort"] == "Cohort A"
    assert member_names(state) == ["Alice"]
    assert state["group"]["waiting"] is True
    assert state["score"] == {"earned": 0, "possible": 4, "overridden": False}


def test_groups_fill_in_order_of_arrival_inside_each_cohort(workbench):
    for student in ("alice", "bob", "gita", "carol", "dan"):
        workbench.open_unit(student)
    alice = workbench.ok("alice", "get_state")
    assert member_names(alice) == ["Alice", "Bob", "Carol"]
    assert alice["group"]["waiting"] is False
    dan = workbench.ok("dan", "get_state")
    assert member_names(dan) == ["Dan"]  # group size 3: Dan opens group 2 of Cohort A
    assert dan["group"]["id"] != alice["group"]["id"]
    gita = workbench.ok("gita", "get_state")
    assert member_names(gita) == ["Gita"] and gita["group"]["cohort"] == "Cohort B"
    # Member ids are opaque: no usernames in them.
    assert all(m["id"] not in ("alice", "bob", "carol") for m in alice["group"]["members"])


def test_opening_again_or_joining_again_does_not_move_anyone(workbench):
    workbench.open_unit("alice")
    first = workbench.ok("alice", "get_state")["group"]["id"]
    workbench.open_unit("alice")
    workbench.ok("alice", "join_group")
    assert workbench.ok("alice", "get_state")["group"]["id"] == first
    assert Membership.objects.filter(learner_key="alice").count() == 1


def test_membership_stays_when_the_cohort_changes_later(workbench):
    workbench.open_unit("alice")
    DemoPerson.objects.filter(username="alice").update(cohort=DemoCohort.objects.get(slug="cohort-b"))
    workbench.open_unit("alice")
    assert workbench.ok("alice", "get_state")["group"]["cohort"] == "Cohort A"


def test_get_state_before_opening_changes_nothing(workbench):
    state = workbench.ok("bob", "get_state")
    assert state["group"] is None
    assert not Membership.objects.exists()


def test_consent_then_story_then_edit(workbench, published):
    workbench.open_unit("alice")
    result = consent(workbench, "alice")
    assert result["contribution"]["stage_id"] == "contract"
    state = workbench.ok("alice", "get_state")
    assert [s["status"] for s in state["stages"]][:2] == ["done", "open"]
    tell(workbench, "alice", "I left school at 16 and found my way back.")
    tell(workbench, "alice", "I left school at 16, then came back to learning at 30.")
    state = workbench.ok("alice", "get_state")
    mine = [c for c in state["contributions"] if c["stage_id"] == "tell"]
    assert len(mine) == 1 and mine[0]["text"].endswith("at 30.") and mine[0]["mine"] is True
    assert state["score"] == {"earned": 1, "possible": 4, "overridden": False}
    assert state["stages"][2]["status"] == "open"  # witness opens after the story
    grades = [data for student, kind, data in published if kind == "grade" and student == "alice"]
    assert grades[-1] == {"value": 1, "max_value": 4}
    completions = [data["completion"] for _, kind, data in published if kind == "completion"]
    assert completions[0] == pytest.approx(0.2) and completions[-1] == pytest.approx(0.4)


def test_the_same_request_twice_creates_one_contribution(workbench):
    workbench.open_unit("alice")
    consent(workbench, "alice")
    consent(workbench, "alice")
    tell(workbench, "alice", "Same story.")
    tell(workbench, "alice", "Same story.")
    assert Contribution.objects.filter(author__learner_key="alice").count() == 2  # contract + tell


def test_sharing_with_the_group_needs_consent(workbench):
    workbench.open_unit("alice")
    contract = consent(workbench, "alice")["contribution"]
    tell(workbench, "alice", "Just for me for now.", sharing="private")
    workbench.ok("alice", "withdraw_contribution", {"contribution_id": contract["id"]})
    result = workbench.call("alice", "submit_contribution", {"stage_id": "tell", "text": "x", "sharing": "group"})
    assert result.status == 403 and "contract" in result.body["error"]
    story = Contribution.objects.get(stage_id="tell")
    assert (story.text, story.sharing) == ("Just for me for now.", "private")
    # The story stays theirs to edit privately after consent is withdrawn.
    tell(workbench, "alice", "Edited, still private.", sharing="private")
    assert Contribution.objects.get(stage_id="tell").text == "Edited, still private."


def test_peers_see_group_stories_only_after_sharing_their_own(workbench):
    for student in ("alice", "bob", "carol", "dan", "gita"):
        workbench.open_unit(student)
        consent(workbench, student)
    tell(workbench, "alice", "Alice's story for the group.")
    tell(workbench, "dan", "Dan is in another group.")
    tell(workbench, "gita", "Gita is in another cohort.")
    assert [c["text"] for c in workbench.ok("bob", "get_state")["contributions"] if not c["mine"]] == []
    tell(workbench, "bob", "Bob's story, facilitator only.", sharing="facilitator")
    assert [c for c in workbench.ok("bob", "get_state")["contributions"] if not c["mine"]] == []
    tell(workbench, "bob", "Bob's story for the group.")
    seen = [c for c in workbench.ok("bob", "get_state")["contributions"] if not c["mine"]]
    assert [c["text"] for c in seen] == ["Alice's story for the group."]
    assert seen[0]["author"] != "alice" and seen[0]["author_name"] == "Alice"
    tell(workbench, "carol", "Carol keeps hers private.", sharing="private")
    for student in ("alice", "bob"):
        texts = {c["text"] for c in workbench.ok(student, "get_state")["contributions"]}
        assert "Carol keeps hers private." not in texts
        assert "Dan is in another group." not in texts and "Gita is in another cohort." not in texts
    assert "Alice's story for the group." in workbench.open_unit("bob")  # in the page's state


def test_learner_text_cannot_break_out_of_the_page_state(workbench):
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        consent(workbench, student)
    payload = "</script><script>alert('x')</script><img src=x onerror=alert(1)>"
    tell(workbench, "alice", payload)
    tell(workbench, "bob", "mine")
    html = workbench.open_unit("bob")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert" in html  # escaped inside json_script


def test_peers_stories_can_be_visible_before_sharing_when_the_author_allows(workbench):
    usage = workbench.add_block('<collective_coaching group_size="3" peers_after_own_story="false"/>')
    for student in ("alice", "bob"):
        workbench.open_unit(student, usage)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"}, usage)
    workbench.ok("alice", "submit_contribution", {"stage_id": "tell", "text": "Hi", "sharing": "group"}, usage)
    assert [c["text"] for c in workbench.ok("bob", "get_state", usage_id=usage)["contributions"] if not c["mine"]] == [
        "Hi"
    ]


def test_withdrawn_story_and_withdrawn_consent_vanish_for_peers(workbench):
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        consent(workbench, student)
        tell(workbench, student, f"{student} story")
    story = next(
        c for c in workbench.ok("alice", "get_state")["contributions"] if c["mine"] and c["stage_id"] == "tell"
    )
    workbench.ok("alice", "withdraw_contribution", {"contribution_id": story["id"]})
    assert "alice story" not in {c["text"] for c in workbench.ok("bob", "get_state")["contributions"]}
    tell(workbench, "alice", "alice story again")
    assert "alice story again" in {c["text"] for c in workbench.ok("bob", "get_state")["contributions"]}
    contract = next(c for c in workbench.ok("alice", "get_state")["contributions"] if c["stage_id"] == "contract")
    workbench.ok("alice", "withdraw_contribution", {"contribution_id": contract["id"]})
    assert "alice story again" not in {c["text"] for c in workbench.ok("bob", "get_state")["contributions"]}


def test_withdrawing_someone_elses_contribution_is_not_found(workbench):
    for student in ("alice", "bob"):
        workbench.open_unit(student)
        consent(workbench, student)
    tell(workbench, "alice", "mine")
    alice_story = Contribution.objects.get(stage_id="tell")
    for contribution_id in (alice_story.pk, 999999):
        result = workbench.call("bob", "withdraw_contribution", {"contribution_id": contribution_id})
        assert result.status == 404
    assert Contribution.objects.get(pk=alice_story.pk).state == "active"


BAD_SUBMISSIONS = [
    ("non-JSON body", None, b"{not json", 400),
    ("a list, not an object", ["tell"], None, 400),
    ("missing stage", {"text": "x", "sharing": "group"}, None, 400),
    ("stage of the wrong type", {"stage_id": 7, "text": "x", "sharing": "group"}, None, 400),
    ("unknown stage", {"stage_id": "nope", "text": "x", "sharing": "group"}, None, 400),
    ("stage that takes no text", {"stage_id": "witness", "text": "x", "sharing": "group"}, None, 400),
    ("stage not open yet", {"stage_id": "act", "text": "x", "sharing": "group"}, None, 400),
    ("text of the wrong type", {"stage_id": "tell", "text": ["x"], "sharing": "group"}, None, 400),
    ("blank text", {"stage_id": "tell", "text": "   ", "sharing": "group"}, None, 400),
    ("text over the cap", {"stage_id": "tell", "text": "x" * 20_001, "sharing": "group"}, None, 400),
    ("unknown sharing", {"stage_id": "tell", "text": "x", "sharing": "everyone"}, None, 400),
    ("missing sharing", {"stage_id": "tell", "text": "x"}, None, 400),
    ("NUL in text", {"stage_id": "tell", "text": "a\x00b", "sharing": "group"}, None, 400),
]


@pytest.mark.parametrize(("case", "body", "raw", "status"), BAD_SUBMISSIONS, ids=[c[0] for c in BAD_SUBMISSIONS])
def test_bad_submissions_get_a_clear_4xx_and_write_nothing(workbench, case, body, raw, status):
    workbench.open_unit("alice")
    consent(workbench, "alice")
    before = list(Contribution.objects.values_list("id", "stage_id", "text", "sharing", "state"))
    result = workbench.call("alice", "submit_contribution", body, raw=raw)
    assert result.status == status
    assert isinstance(result.body.get("error"), str) and result.body["error"]
    assert list(Contribution.objects.values_list("id", "stage_id", "text", "sharing", "state")) == before


def test_bad_withdrawals_get_a_4xx(workbench):
    workbench.open_unit("alice")
    for body in ({}, {"contribution_id": "1"}, {"contribution_id": -1}, {"contribution_id": True}, []):
        assert workbench.call("alice", "withdraw_contribution", body).status == 400


def test_handlers_answer_405_to_get(workbench):
    response = workbench.client.get(f"/handler/{workbench.usage_id}/get_state/?student=alice")
    assert response.status_code == 405


def test_course_staff_are_not_placed_in_groups_and_cannot_write(workbench):
    html = workbench.open_unit("facilitator")
    assert "Facilitator dashboard" in html
    assert workbench.ok("facilitator", "get_state")["group"] is None
    result = workbench.call("facilitator", "submit_contribution", {"stage_id": "contract"})
    assert result.status == 403
    assert not Membership.objects.exists()


def test_unknown_students_land_in_a_stable_cohort(workbench):
    from collective_coaching_xblock.demo.data import cohort_for_unknown

    workbench.open_unit("zoe")
    expected = {"cohort-a": "Cohort A", "cohort-b": "Cohort B"}[cohort_for_unknown("zoe")]
    assert workbench.ok("zoe", "get_state")["group"]["cohort"] == expected
    assert cohort_for_unknown("zoe") == cohort_for_unknown("zoe")


def test_text_cap_is_configurable(workbench):
    usage = workbench.add_block('<collective_coaching max_text_length="100"/>')
    workbench.open_unit("alice", usage)
    workbench.ok("alice", "submit_contribution", {"stage_id": "contract"}, usage)
    body = {"stage_id": "tell", "text": "x" * 101, "sharing": "private"}
    assert workbench.call("alice", "submit_contribution", body, usage).status == 400
    body["text"] = "x" * 100
    assert workbench.call("alice", "submit_contribution", body, usage).status == 200


def test_max_score_is_the_sum_of_graded_weights(workbench):
    assert workbench.block("alice").max_score() == 4

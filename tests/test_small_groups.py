"""Never stuck waiting: a learner alone does what is theirs alone, and small groups are merged in time."""

from __future__ import annotations

from collective_coaching_xblock.models import Contribution


def statuses(state):
    return {stage["id"]: (stage["status"], stage["waiting"]) for stage in state["stages"]}


def tell(wb, student, text="I left nursing to teach.", sharing="group"):
    wb.ok(student, "submit_contribution", {"stage_id": "contract", "text": ""})
    return wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": text, "sharing": sharing})


def test_a_learner_alone_does_their_themes_and_next_steps_without_waiting(workbench):
    html = workbench.open_unit("alice")
    assert "You are the first in your group" in html
    before = workbench.ok("alice", "get_state")
    assert statuses(before)["witness"] == ("locked", False)
    tell(workbench, "alice")
    state = workbench.ok("alice", "get_state")
    # Nothing to witness: the witness stage waits on the group, and does not hold back what follows.
    assert statuses(state) == {
        "contract": ("done", False),
        "tell": ("done", False),
        "witness": ("open", True),
        "themes": ("open", False),
        "act": ("locked", False),
    }
    assert "Waiting for your group" in workbench.open_unit("alice")
    workbench.ok("alice", "tag_themes", {"themes": [{"theme": "Care work", "structural": True}]})
    state = workbench.ok("alice", "get_state")
    assert statuses(state)["themes"] == ("done", False) and statuses(state)["act"] == ("open", False)
    workbench.ok("alice", "submit_contribution", {"stage_id": "act", "text": "Ask for mentoring.", "sharing": "group"})
    state = workbench.ok("alice", "get_state")
    # Her own stages count; the witness stage does not, until there is a story to witness.
    assert statuses(state)["act"] == ("done", False) and statuses(state)["witness"] == ("open", True)
    assert state["score"]["earned"] == 3 and state["score"]["possible"] == 4

    # A peer joins and shares: now there is something to witness, and the stage no longer waits.
    workbench.open_unit("bob")
    tell(workbench, "bob", "I was a welder.")
    state = workbench.ok("alice", "get_state")
    assert statuses(state)["witness"] == ("open", False)
    bob_story = Contribution.objects.get(author__learner_key="bob", stage_id="tell")
    workbench.ok("alice", "submit_reflection", {"contribution_id": bob_story.pk, "answers": {"attention": "Your hands."}})
    state = workbench.ok("alice", "get_state")
    assert statuses(state)["witness"] == ("done", False) and state["score"]["earned"] == 4


def test_a_learner_who_has_not_told_a_story_still_waits_for_nothing_but_their_own_story(workbench):
    workbench.open_unit("alice")
    workbench.ok("alice", "submit_contribution", {"stage_id": "contract", "text": ""})
    state = workbench.ok("alice", "get_state")
    assert statuses(state)["tell"] == ("open", False)
    assert statuses(state)["themes"] == ("locked", False)
    result = workbench.call("alice", "tag_themes", {"themes": [{"theme": "Care work", "structural": False}]})
    assert result.status == 400


def test_a_story_kept_from_the_group_opens_the_learners_own_stages_but_not_the_peers_stories(workbench):
    workbench.open_unit("alice")
    workbench.open_unit("bob")
    tell(workbench, "bob", "I was a welder.")
    tell(workbench, "alice", "Mine is for the facilitator.", sharing="facilitator")
    state = workbench.ok("alice", "get_state")
    assert statuses(state)["witness"] == ("open", True) and statuses(state)["themes"] == ("open", False)
    assert not [c for c in state["contributions"] if not c["mine"]]  # Bob's story stays closed to her

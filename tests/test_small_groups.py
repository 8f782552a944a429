"""Never stuck waiting: a learner alone does what is theirs alone, and small groups are merged in time."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from collective_coaching_xblock.models import AutomaticMerge, CoachingGroup, Contribution, Membership


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
    reflection = {"contribution_id": bob_story.pk, "answers": {"attention": "Your hands."}}
    workbench.ok("alice", "submit_reflection", reflection)
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
    # Her own stages do not wait on her choice to keep her story from the group (nobody is pressed
    # to share); the witness stage waits on her, not on the group, and says how to open it.
    assert statuses(state)["witness"] == ("open", False) and statuses(state)["themes"] == ("open", False)
    assert not [c for c in state["contributions"] if not c["mine"]]  # Bob's story stays closed to her


# --- groups below three are merged after the author's delay (regroup_small_groups) ----------------


def regroup(*args, days=4) -> str:
    """Run the command as if ``days`` days had passed; return its summary."""
    from collective_coaching_xblock.management.commands import regroup_small_groups

    out = StringIO()
    with mock.patch.object(regroup_small_groups.timezone, "now", return_value=timezone.now() + timedelta(days=days)):
        call_command("regroup_small_groups", *args, stdout=out)
    return out.getvalue().strip()


def groups_of(usage_id):
    """Each group's number -> its members' usernames, sorted."""
    found = {}
    for member in Membership.objects.filter(block_id=usage_id).select_related("group"):
        found.setdefault(member.group.number, []).append(member.learner_key)
    return {number: sorted(names) for number, names in sorted(found.items())}


def alone_in_group(usage_id, student, number):
    """Put ``student`` in a new group of their own (as a facilitator's earlier split would, unmarked)."""
    member = Membership.objects.get(block_id=usage_id, learner_key=student)
    group = CoachingGroup.objects.create(cohort=member.group.cohort, number=number)
    Membership.objects.filter(pk=member.pk).update(group=group)
    return group


@pytest.fixture
def unit(workbench):
    """A unit with groups of four: alice, bob and carol in group 1; dan alone in group 2, his story told."""
    usage_id = workbench.add_block('<collective_coaching group_size="4"/>')
    for student in ("alice", "bob", "carol", "dan"):
        workbench.open_unit(student, usage_id)
    alone_in_group(usage_id, "dan", 2)
    for student in ("alice", "dan"):
        workbench.ok(student, "submit_contribution", {"stage_id": "contract", "text": ""}, usage_id)
        story = {"stage_id": "tell", "text": f"{student} tells.", "sharing": "group"}
        workbench.ok(student, "submit_contribution", story, usage_id)
    workbench.ok("dan", "tag_themes", {"themes": [{"theme": "time", "structural": True}]}, usage_id)
    workbench.unit = usage_id
    return workbench


def test_a_learner_still_alone_after_the_delay_joins_a_group_with_room_and_keeps_their_work(unit, published):
    usage_id = unit.unit
    state = unit.ok("dan", "get_state", {}, usage_id)
    merge_by = datetime.fromisoformat(state["group"]["merge_by"])
    assert timedelta(days=2, hours=23) < merge_by - timezone.now() <= timedelta(days=3)  # the default delay
    assert regroup(days=2).startswith("Small groups: merged 0 groups")  # not yet: three days by default
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 2: ["dan"]}
    published.clear()
    assert regroup().startswith("Small groups: merged 1 groups (1 learners)")
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"]}
    merged = [data for _user, name, data in published if name == "xblock.collective_coaching.groups.merged"]
    assert merged == [
        {
            "group_id": CoachingGroup.objects.get(number=2).pk,
            "group_number": 2,
            "into_group_id": CoachingGroup.objects.get(number=1).pk,
            "into_group_number": 1,
            "members": 1,
            "automatic": True,
        }
    ]
    # His work came with him, and the group's stories are his to witness now.
    dan = unit.ok("dan", "get_state", {}, usage_id)
    assert {s["id"]: s["status"] for s in dan["stages"]}["themes"] == "done"
    assert [c["text"] for c in dan["contributions"] if not c["mine"]] == ["alice tells."]
    assert dan["group"]["merge_by"] is None
    # Idempotent: the next run finds nothing to do.
    assert regroup().startswith("Small groups: merged 0 groups")
    assert AutomaticMerge.objects.count() == 1
    # The facilitator's dashboard notes it.
    note = unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"}, usage_id)["regrouping"]
    assert note["enabled"] is True and note["days"] == 3
    assert [(m["from_number"], m["into_number"], m["members"]) for m in note["merges"]] == [(2, 1, 1)]


def test_two_small_groups_merge_into_one_and_never_above_the_group_size(workbench):
    usage_id = workbench.add_block('<collective_coaching group_size="4"/>')
    for student in ("alice", "bob", "carol", "dan", "erin", "farah"):
        workbench.open_unit(student, usage_id)
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"], 2: ["erin", "farah"]}
    alone_in_group(usage_id, "dan", 3)  # group 1: three; group 2: two; group 3: one
    assert regroup("--dry-run").startswith("Small groups, dry run (nothing changed): would merge 1 groups (2 learners)")
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 2: ["erin", "farah"], 3: ["dan"]}
    regroup()
    # Group 2 cannot join group 1 (five is above four); it joins Dan, who is then no longer alone.
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 3: ["dan", "erin", "farah"]}


def test_a_group_that_no_group_has_room_for_stays_and_the_dashboard_says_why(workbench):
    usage_id = workbench.add_block('<collective_coaching group_size="4"/>')
    for student in ("alice", "bob", "carol", "dan", "erin"):
        workbench.open_unit(student, usage_id)
    regroup()
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"], 2: ["erin"]}
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=4)):
        note = workbench.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"}, usage_id)["regrouping"]
    assert [(g["number"], g["members"], g["reason"]) for g in note["waiting"]] == [(2, 1, "no_room")]


def test_a_facilitator_turns_the_merges_off_for_the_unit_and_they_stop(unit):
    usage_id = unit.unit
    assert unit.call("dan", "set_auto_regroup", {"enabled": False}, usage_id).status == 403
    assert unit.call("facilitator_b", "set_auto_regroup", {"enabled": False}, usage_id).status == 403
    assert unit.call("facilitator", "set_auto_regroup", {"enabled": "no"}, usage_id).status == 400
    assert unit.ok("facilitator", "set_auto_regroup", {"enabled": False}, usage_id) == {
        "auto_regroup": {"enabled": False, "days": 3}
    }
    assert unit.ok("dan", "get_state", {}, usage_id)["group"]["merge_by"] is None
    regroup()
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 2: ["dan"]}
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=4)):
        note = unit.ok("facilitator", "dashboard_data", {"cohort": "cohort-a"}, usage_id)["regrouping"]
    assert note["enabled"] is False and [g["reason"] for g in note["waiting"]] == ["off"]
    unit.ok("facilitator", "set_auto_regroup", {"enabled": True}, usage_id)
    regroup()
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"]}


def test_groups_a_facilitator_arranged_and_units_without_a_delay_are_left_alone(unit):
    usage_id = unit.unit
    carol = Membership.objects.get(block_id=usage_id, learner_key="carol")
    unit.ok("facilitator", "move_member", {"member_id": carol.member_id, "group_id": carol.group_id + 1}, usage_id)
    assert groups_of(usage_id) == {1: ["alice", "bob"], 2: ["carol", "dan"]}
    regroup()  # both groups are below three, but a person arranged them
    assert groups_of(usage_id) == {1: ["alice", "bob"], 2: ["carol", "dan"]}

    never = unit.add_block('<collective_coaching group_size="4" regroup_days="0"/>')
    unit.open_unit("erin", never)
    alone_in_group(never, "erin", 2)
    unit.open_unit("farah", never)
    regroup(days=60)
    assert groups_of(never) == {1: ["farah"], 2: ["erin"]}
    assert unit.ok("erin", "get_state", {}, never)["group"]["merge_by"] is None


def test_the_delay_counts_from_the_last_newcomer(unit):
    usage_id = unit.unit
    # Dan's group formed now, and he (its newest member) arrived two days later: it waits from then.
    later = timezone.now() + timedelta(days=2)
    Membership.objects.filter(block_id=usage_id, learner_key="dan").update(joined=later)
    merge_by = datetime.fromisoformat(unit.ok("dan", "get_state", {}, usage_id)["group"]["merge_by"])
    assert abs(merge_by - (later + timedelta(days=3))) < timedelta(seconds=1)
    assert regroup(days=4).startswith("Small groups: merged 0 groups")
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 2: ["dan"]}
    assert regroup(days=5.01).startswith("Small groups: merged 1 groups")
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"]}


def test_a_facilitator_regroups_the_learners_left_alone_in_the_selected_groups_now(unit, published):
    usage_id = unit.unit
    dan_group = Membership.objects.get(block_id=usage_id, learner_key="dan").group_id
    alice_group = Membership.objects.get(block_id=usage_id, learner_key="alice").group_id
    body = {"group_ids": [dan_group, alice_group], "preview": True}
    preview = unit.ok("facilitator", "regroup_selected", body, usage_id)["preview"]
    assert [(m["number"], m["into_number"], m["members"]) for m in preview["merges"]] == [(2, 1, 1)]
    assert groups_of(usage_id) == {1: ["alice", "bob", "carol"], 2: ["dan"]}  # the preview moved nobody
    done = unit.ok("facilitator", "regroup_selected", {"group_ids": [dan_group, alice_group]}, usage_id)
    assert done["regrouped"]["left"] == [] and groups_of(usage_id) == {1: ["alice", "bob", "carol", "dan"]}
    assert [d["members"] for _u, name, d in published if name == "xblock.collective_coaching.groups.merged"] == [1]
    # Not a learner's to ask; bad lists change nothing.
    assert unit.call("dan", "regroup_selected", {"group_ids": [alice_group]}, usage_id).status == 403
    for bad in ([], [True], ["1"], [{"id": 1}]):
        assert unit.call("facilitator", "regroup_selected", {"group_ids": bad}, usage_id).status == 400
    assert unit.call("facilitator_b", "regroup_selected", {"group_ids": [alice_group]}, usage_id).status == 404

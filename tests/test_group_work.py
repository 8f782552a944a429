"""Witnessing, themes, the group plan, flags and pseudonyms, with a whole group of four."""

from __future__ import annotations

import pytest

from collective_coaching_xblock.models import Flag, GroupPlanRevision, Membership, Reflection, ThemeTag

GROUP = ("alice", "bob", "carol", "dan")  # Cohort A, in order of arrival: one group of four


@pytest.fixture
def group(workbench):
    """A group of four in Cohort A (block group size 4) and erin, alone in the next group."""
    usage = workbench.add_block('<collective_coaching group_size="4"/>')
    for student in (*GROUP, "erin"):
        workbench.open_unit(student, usage)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"}, usage)
    workbench.usage_id = usage
    return workbench


def tell(wb, student, sharing="group"):
    return wb.ok(student, "submit_contribution", {"stage_id": "tell", "text": f"{student}'s story", "sharing": sharing})


def story_of(wb, reader, author_name):
    return next(
        c
        for c in wb.ok(reader, "get_state")["contributions"]
        if c["author_name"] == author_name and c["stage_id"] == "tell"
    )


def reflect(wb, student, contribution_id, **answers):
    return wb.call(
        student,
        "submit_reflection",
        {"contribution_id": contribution_id, "answers": answers or {"attention": "Your courage."}},
    )


def status(wb, student, stage_id):
    return next(s["status"] for s in wb.ok(student, "get_state")["stages"] if s["id"] == stage_id)


def test_witnessing_completes_after_the_required_reflections(group):
    for student in GROUP:
        tell(group, student)
    stories = {name: story_of(group, "alice", name)["id"] for name in ("Bob", "Carol", "Dan")}
    assert status(group, "alice", "witness") == "open"
    assert reflect(group, "alice", stories["Bob"], attention="Night shifts.", image="A lighthouse.").status == 200
    assert status(group, "alice", "witness") == "open"
    assert reflect(group, "alice", stories["Carol"]).status == 200
    assert status(group, "alice", "witness") == "done"
    assert status(group, "alice", "themes") == "open"
    assert group.ok("alice", "get_state")["score"]["earned"] == 2
    # Resubmitting replaces the reflection rather than adding one.
    reflect(group, "alice", stories["Bob"], attention="Night shifts, again.")
    assert Reflection.objects.filter(author__learner_key="alice").count() == 2


def test_fewer_stories_than_required_means_every_story(group):
    tell(group, "alice")
    tell(group, "bob")
    assert reflect(group, "alice", story_of(group, "alice", "Bob")["id"]).status == 200
    assert status(group, "alice", "witness") == "done"  # only one peer story exists


def test_the_author_reads_reflections_and_responds_once(group):
    tell(group, "alice")
    tell(group, "bob")
    reflect(group, "bob", story_of(group, "bob", "Alice")["id"], connection="My mother's story.")
    alice = group.ok("alice", "get_state")
    (reflection,) = alice["reflections"]
    assert reflection["answers"] == {"connection": "My mother's story."} and reflection["author_name"] == "Bob"
    group.ok("alice", "respond_to_reflection", {"reflection_id": reflection["id"], "text": "Thank you."})
    group.ok("alice", "respond_to_reflection", {"reflection_id": reflection["id"], "text": "Thank you, Bob."})
    assert [r["response"] for r in group.ok("bob", "get_state")["reflections"]] == ["Thank you, Bob."]
    # Only the author of the story may respond; carol does not even see the reflection.
    assert group.ok("carol", "get_state")["reflections"] == []
    assert group.call("bob", "respond_to_reflection", {"reflection_id": reflection["id"], "text": "x"}).status == 404
    assert group.call("carol", "respond_to_reflection", {"reflection_id": reflection["id"], "text": "x"}).status == 404


def test_reflections_that_are_refused_write_nothing(group):
    tell(group, "alice")
    tell(group, "bob")
    tell(group, "carol", sharing="private")
    tell(group, "erin")
    own = story_of(group, "alice", "Alice")["id"]
    from collective_coaching_xblock.models import Contribution

    carol_private = Contribution.objects.get(author__learner_key="carol", stage_id="tell").pk
    erin_story = Contribution.objects.get(author__learner_key="erin", stage_id="tell").pk
    bob_story = story_of(group, "alice", "Bob")["id"]
    cases = [
        ("alice", own, {"attention": "x"}, 400),  # own story
        ("alice", carol_private, {"attention": "x"}, 404),  # not shared with the group
        ("alice", erin_story, {"attention": "x"}, 404),  # another group's story
        ("alice", 987654, {"attention": "x"}, 404),  # does not exist
        ("dan", bob_story, {"attention": "x"}, 403),  # dan has not shared his own story yet
        ("alice", bob_story, {"advice": "x"}, 400),  # unknown prompt
        ("alice", bob_story, {"attention": "x" * 20_001}, 400),  # too long
        ("alice", bob_story, {"attention": 5}, 400),  # wrong type
        ("alice", bob_story, {"attention": "  "}, 400),  # nothing said
    ]
    for student, contribution_id, answers, expected in cases:
        result = group.call(student, "submit_reflection", {"contribution_id": contribution_id, "answers": answers})
        assert result.status == expected, (student, contribution_id, answers, result.body)
        assert result.body["error"]
    assert group.call("alice", "submit_reflection", {"contribution_id": "1", "answers": {}}).status == 400
    assert not Reflection.objects.exists()
    # A withdrawn story can no longer be witnessed, and its reflections vanish with it.
    reflect(group, "alice", bob_story)
    group.ok("bob", "withdraw_contribution", {"contribution_id": bob_story})
    assert group.ok("alice", "get_state")["reflections"] == []
    assert reflect(group, "alice", bob_story).status == 404


def test_theme_map_counts_members_and_structural_views(group):
    for student in GROUP:
        tell(group, student)
    for student in GROUP:
        stories = [c["id"] for c in group.ok(student, "get_state")["contributions"] if not c["mine"]]
        for story in stories[:2]:
            reflect(group, student, story)
    group.ok(
        "alice",
        "tag_themes",
        {"themes": [{"theme": "money", "structural": True}, {"theme": "confidence", "structural": False}]},
    )
    group.ok(
        "bob",
        "tag_themes",
        {"themes": [{"theme": "money", "structural": True}, {"theme": "Night work", "structural": True}]},
    )
    group.ok("carol", "tag_themes", {"themes": [{"theme": "money", "structural": False}]})
    theme_map = {e["theme"]: (e["members"], e["structural"]) for e in group.ok("dan", "get_state")["themes"]["map"]}
    assert theme_map == {"money": (3, 2), "confidence": (1, 0), "night work": (1, 1)}
    assert status(group, "alice", "themes") == "done"
    # Themes from a withdrawn story no longer count.
    group.ok("bob", "withdraw_contribution", {"contribution_id": story_of(group, "bob", "Bob")["id"]})
    theme_map = {e["theme"]: e["members"] for e in group.ok("dan", "get_state")["themes"]["map"]}
    assert theme_map == {"money": 2, "confidence": 1}
    for bad in (
        {"themes": "money"},
        {"themes": [{"theme": ""}]},
        {"themes": [{"theme": "x" * 101}]},
        {"themes": [{"theme": "money", "structural": "yes"}]},
        {"themes": [{"theme": "t"}] * 21},
    ):
        assert group.call("alice", "tag_themes", bad).status == 400
    assert ThemeTag.objects.filter(member__learner_key="alice").count() == 2


def open_act(wb, student):
    """Walk one learner to the act stage: witness every peer story, tag a theme."""
    for story in [c["id"] for c in wb.ok(student, "get_state")["contributions"] if not c["mine"]][:2]:
        reflect(wb, student, story)
    wb.ok(student, "tag_themes", {"themes": [{"theme": "time", "structural": True}]})


def test_group_plan_versions_conflicts_and_history(group):
    for student in GROUP:
        tell(group, student)
    for student in ("alice", "bob"):
        open_act(group, student)
    assert group.call("carol", "save_group_plan", {"text": "x", "version": 0}).status == 400  # act not open
    plan = group.ok("alice", "save_group_plan", {"text": "Visit the job centre together.", "version": 0})["group_plan"]
    assert plan["version"] == 1 and plan["updated_by"] == "Alice"
    stale = group.call("bob", "save_group_plan", {"text": "Bob's overwrite", "version": 0})
    assert stale.status == 409
    assert stale.body["text"] == "Visit the job centre together." and stale.body["version"] == 1
    group.ok("bob", "save_group_plan", {"text": "Visit the job centre; ask about childcare.", "version": 1})
    state = group.ok("carol", "get_state")["group_plan"]
    assert state["text"] == "Visit the job centre; ask about childcare." and state["version"] == 2
    versions = group.ok("carol", "plan_history")["versions"]
    assert [(v["version"], v["author"], v["text"]) for v in versions] == [
        (2, "Bob", "Visit the job centre; ask about childcare."),
        (1, "Alice", "Visit the job centre together."),
    ]
    for bad in (
        {"text": "x"},
        {"text": "x", "version": "1"},
        {"text": 3, "version": 2},
        {"text": "x", "version": -1},
    ):
        assert group.call("alice", "save_group_plan", bad).status == 400
    assert group.ok("carol", "plan_history")["versions"] == versions  # nothing changed
    assert GroupPlanRevision.objects.count() == 2
    # Only the group reads its plan's versions: a learner of the next group, staff and a visitor read none.
    group.open_unit("erin")  # Cohort A's fifth learner: the next group
    assert Membership.objects.get(learner_key="erin").group_id != Membership.objects.get(learner_key="carol").group_id
    for outsider in ("erin", "facilitator", ""):
        assert group.ok(outsider, "plan_history")["versions"] == []


def test_flagged_items_are_stored_and_hidden_from_the_reporter(group):
    tell(group, "alice")
    tell(group, "bob")
    tell(group, "carol")
    bob_story = story_of(group, "alice", "Bob")["id"]
    reflect(group, "carol", story_of(group, "carol", "Alice")["id"])
    reflection = group.ok("alice", "get_state")["reflections"][0]["id"]
    group.ok("alice", "flag_content", {"kind": "contribution", "id": bob_story, "reason": "It names my employer."})
    group.ok("alice", "flag_content", {"kind": "contribution", "id": bob_story, "reason": "Twice."})
    group.ok("alice", "flag_content", {"kind": "reflection", "id": reflection, "reason": "Judgemental."})
    state = group.ok("alice", "get_state")
    assert bob_story not in {c["id"] for c in state["contributions"]}
    assert state["reflections"] == []
    assert bob_story in {c["id"] for c in group.ok("carol", "get_state")["contributions"]}  # others still see it
    assert Flag.objects.count() == 2 and Flag.objects.get(kind="contribution").reason == "Twice."
    erin_story = tell(group, "erin")["contribution"]["id"]
    for body, expected in (
        ({"kind": "contribution", "id": erin_story, "reason": "x"}, 404),
        ({"kind": "contribution", "id": 999999, "reason": "x"}, 404),
        ({"kind": "story", "id": bob_story, "reason": "x"}, 400),
        ({"kind": "contribution", "id": bob_story, "reason": ""}, 400),
        ({"kind": "contribution", "id": bob_story}, 400),
    ):
        assert group.call("bob", "flag_content", body).status == expected, body
    assert Flag.objects.count() == 2


def test_pseudonyms_replace_names_in_every_response(workbench):
    usage = workbench.add_block('<collective_coaching group_size="3" anonymity="pseudonyms"/>')
    for student in ("alice", "bob", "carol"):
        workbench.open_unit(student, usage)
        workbench.ok(student, "submit_contribution", {"stage_id": "contract"}, usage)
        workbench.ok(student, "submit_contribution", {"stage_id": "tell", "text": "story", "sharing": "group"}, usage)
    state = workbench.ok("bob", "get_state", usage_id=usage)
    story = next(c for c in state["contributions"] if not c["mine"])
    workbench.ok("bob", "submit_reflection", {"contribution_id": story["id"], "answers": {"image": "a tree"}}, usage)
    text = str(workbench.ok("alice", "get_state", usage_id=usage)) + workbench.open_unit("alice", usage)
    for real in ("Alice", "Bob", "Carol"):
        assert real not in text
    names = [m["name"] for m in workbench.ok("alice", "get_state", usage_id=usage)["group"]["members"]]
    assert names == ["Alder", "Birch", "Cedar"]
    assert names == [m["name"] for m in workbench.ok("carol", "get_state", usage_id=usage)["group"]["members"]]


def test_withdrawing_consent_hides_my_reflections_too(group):
    tell(group, "alice")
    tell(group, "bob")
    reflect(group, "bob", story_of(group, "bob", "Alice")["id"])
    assert len(group.ok("alice", "get_state")["reflections"]) == 1
    contract = next(c for c in group.ok("bob", "get_state")["contributions"] if c["stage_id"] == "contract")
    group.ok("bob", "withdraw_contribution", {"contribution_id": contract["id"]})
    assert group.ok("alice", "get_state")["reflections"] == []
    assert "bob's story" not in {c["text"] for c in group.ok("alice", "get_state")["contributions"]}


def test_a_stage_opened_for_the_group_opens_it_for_a_member_who_has_not_got_there(group):
    from collective_coaching_xblock.models import Membership, StageOpening

    tell(group, "alice")  # nobody else has shared: nothing to witness, her themes do not wait
    assert status(group, "alice", "witness") == "open" and status(group, "alice", "themes") == "open"
    # Bob has not told his story: the themes stage is not his yet...
    assert status(group, "bob", "themes") == "locked"
    assert group.call("bob", "tag_themes", {"themes": [{"theme": "time", "structural": True}]}).status == 400
    # ...until the facilitator opens it for the group.
    StageOpening.objects.create(group=Membership.objects.get(learner_key="bob").group, stage_id="themes")
    assert status(group, "bob", "themes") == "open"
    group.ok("bob", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    assert status(group, "bob", "themes") == "done"
    assert status(group, "erin", "themes") == "locked"  # another group is not affected

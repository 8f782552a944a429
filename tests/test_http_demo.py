"""The real demo server over real HTTP: CSRF cookie and header, several learners at once."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from collective_coaching_xblock.demo.data import cohort_for_unknown

from .demo_server import Browserless, start_demo_server

demo_server = start_demo_server()


def test_front_page_lists_the_gina_scenario_first(demo_server):
    html = urllib.request.urlopen(demo_server + "/", timeout=10).read().decode()
    links = [line for line in html.splitlines() if "/scenario/" in line and "?student=" not in line]
    assert "collective_coaching.0" in links[0] and "group size 3" in links[0]
    assert all("collective_coaching" in line for line in links)


def test_three_learners_of_one_group_and_one_of_another_cohort(demo_server):
    alice, bob, carol, gita = (Browserless(demo_server, name) for name in ("alice", "bob", "carol", "gita"))
    for learner in (alice, bob, carol, gita):
        learner.open_unit()

    # Without the CSRF header the server refuses the write.
    status, _ = alice.post("submit_contribution", {"stage_id": "contract"}, csrf=False)
    assert status == 403

    for learner in (alice, bob, carol, gita):
        learner.ok("submit_contribution", {"stage_id": "contract", "text": ""})
    alice.ok(
        "submit_contribution",
        {"stage_id": "tell", "text": "Alice: from care work to nursing.", "sharing": "group"},
    )
    bob.ok(
        "submit_contribution",
        {"stage_id": "tell", "text": "Bob: night shifts and study.", "sharing": "group"},
    )
    carol.ok("submit_contribution", {"stage_id": "tell", "text": "Carol: private notes.", "sharing": "private"})
    gita.ok("submit_contribution", {"stage_id": "tell", "text": "Gita: Cohort B story.", "sharing": "group"})

    def peer_texts(learner):
        return sorted(c["text"] for c in learner.ok("get_state")["contributions"] if not c["mine"])

    group = alice.ok("get_state")["group"]
    assert [m["name"] for m in group["members"]] == ["Alice", "Bob", "Carol"]
    assert peer_texts(alice) == ["Bob: night shifts and study."]
    assert peer_texts(bob) == ["Alice: from care work to nursing."]
    assert peer_texts(carol) == []  # Carol has not shared with the group, so she does not see theirs yet
    assert peer_texts(gita) == []  # another cohort sees nothing of Cohort A
    assert gita.ok("get_state")["group"]["cohort"] == "Cohort B"
    assert alice.ok("get_state")["score"] == {"earned": 1, "possible": 4, "overridden": False}

    status, data = alice.post("submit_contribution", {"stage_id": "tell", "text": "x" * 20_001, "sharing": "group"})
    assert status == 400 and "too long" in data["error"]
    assert peer_texts(bob) == ["Alice: from care work to nursing."]


def test_learners_arriving_at_once_never_overfill_a_group(demo_server):
    students = [f"arrival-{n}" for n in range(16)]
    learners = [Browserless(demo_server, name, scenario="collective_coaching.1") for name in students]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda learner: learner.open_unit(), learners))
    groups: dict[int, set[str]] = {}
    for learner in learners:
        state = learner.ok("get_state")
        members = {m["id"] for m in state["group"]["members"]}
        groups.setdefault(state["group"]["id"], set()).update(members)
    all_members = [member for members in groups.values() for member in members]
    assert len(all_members) == len(set(all_members)) == len(students)  # nobody in two groups
    assert all(len(members) <= 4 for members in groups.values())  # group size 4, never beyond
    per_cohort = {}
    for student in students:
        per_cohort[cohort_for_unknown(student)] = per_cohort.get(cohort_for_unknown(student), 0) + 1
    expected_groups = sum(-(-count // 4) for count in per_cohort.values())
    assert len(groups) == expected_groups  # filled in order: at most one group per cohort below size


def test_a_group_of_three_walks_all_five_stages(demo_server):
    learners = [Browserless(demo_server, name, scenario="collective_coaching.3") for name in ("hamid", "ines", "jon")]
    for learner in learners:
        learner.open_unit()
        learner.ok("submit_contribution", {"stage_id": "contract"})
        learner.ok(
            "submit_contribution",
            {"stage_id": "tell", "text": f"{learner.student} story", "sharing": "group"},
        )
    for learner in learners:
        state = learner.ok("get_state")
        assert "Hamid" not in json.dumps(state)  # pseudonyms in this scenario
        for story in [c for c in state["contributions"] if not c["mine"] and c["stage_id"] == "tell"]:
            learner.ok("submit_reflection", {"contribution_id": story["id"], "answers": {"attention": "heard"}})
        learner.ok("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
        learner.ok("submit_contribution", {"stage_id": "act", "text": "Apply by Friday.", "sharing": "group"})
    hamid = learners[0].ok("get_state")
    for reflection in [r for r in hamid["reflections"] if not r["mine"]]:
        learners[0].ok("respond_to_reflection", {"reflection_id": reflection["id"], "text": "Thank you."})

    # Two members save the plan from the same version at the same moment: one wins, one is told.
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(lambda who: who.post("save_group_plan", {"text": who.student, "version": 0}), learners[1:])
        )
    assert sorted(status for status, _ in results) == [200, 409]
    loser = next(body for status, body in results if status == 409)
    assert loser["version"] == 1 and loser["text"] in ("ines", "jon")
    learners[0].ok("save_group_plan", {"text": "Meet at the library on Monday.", "version": 1})

    for learner in learners:
        state = learner.ok("get_state")
        assert [s["status"] for s in state["stages"]] == ["done"] * 5, state["stages"]
        assert state["score"] == {"earned": 4, "possible": 4, "overridden": False} and state["completion"] == 1
        assert state["themes"]["map"] == [{"theme": "time", "members": 3, "structural": 3, "label": "time"}]
        assert state["group_plan"]["text"] == "Meet at the library on Monday." and state["group_plan"]["version"] == 2
    assert sum(1 for r in learners[1].ok("get_state")["reflections"] if r["response"] == "Thank you.") == 1


def test_a_facilitator_hides_a_flagged_story_over_http(demo_server):
    names = ("erin", "farah", "ines", "jon", "kofi", "lena")
    learners = {name: Browserless(demo_server, name, scenario="collective_coaching.1") for name in names}
    facilitator = Browserless(demo_server, "facilitator", scenario="collective_coaching.1")
    groups = {}
    for name, learner in learners.items():
        learner.open_unit()
        learner.ok("submit_contribution", {"stage_id": "contract"})
        groups.setdefault(learner.ok("get_state")["group"]["id"], []).append(name)
    # Earlier arrivals filled this scenario's groups; take two learners who share a group now.
    kofi, lena = (learners[name] for name in next(members for members in groups.values() if len(members) >= 2)[:2])
    kofi.ok("submit_contribution", {"stage_id": "tell", "text": "Kofi names a colleague.", "sharing": "group"})
    story = next(c for c in lena.ok("get_state")["contributions"] if c["text"] == "Kofi names a colleague.")
    lena.ok("flag_content", {"kind": "contribution", "id": story["id"], "reason": "It names a colleague."})
    html = facilitator.open_unit()
    assert "Facilitator dashboard" in html
    flags = facilitator.ok("dashboard_data")["flags"]
    flag = next(f for f in flags if f["item_id"] == story["id"])
    assert flag["reason"] == "It names a colleague."
    status, _ = lena.post("moderate", {"action": "hide", "kind": "contribution", "id": story["id"]})
    assert status == 403  # a learner cannot moderate
    facilitator.ok("moderate", {"action": "hide", "kind": "contribution", "id": story["id"], "reason": "Harmful."})
    others = [c for c in lena.ok("get_state")["contributions"] if c["id"] == story["id"]]
    assert others == []
    facilitator.ok("moderate", {"action": "resolve", "flag_id": flag["id"]})
    csv_text = (
        facilitator.opener.open(
            f"{demo_server}/handler/{facilitator.usage_id}/export_csv/?student=facilitator", timeout=30
        )
        .read()
        .decode("utf-8-sig")
    )
    assert csv_text.splitlines()[0].startswith("cohort,group,member_id,name,username")

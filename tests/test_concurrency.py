"""Many requests at once over real HTTP against the multi-threaded demo server.

Fifty learners: each phase runs all learners together (16 at a time): opening the unit (joining a
group), consenting and sharing a story, witnessing every peer's story, and saving the group plan
from the version each one read. Afterwards nothing is lost or doubled, no group is over its size,
and the plan's versions account for every save that succeeded.

One learner's own requests crossing: the page keeps a draft while its owner saves the plan (a
field left for the button does both). Neither fails: on MariaDB, a transaction that took a shared
lock on the learner's row (a foreign key to it) before its write lock met the other's wait for that
row, and InnoDB killed one as a deadlock (docs/decisions/0006).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

from collective_coaching_xblock.demo.data import cohort_for_unknown

from .demo_server import Browserless, start_demo_server

LEARNERS = [f"crowd-{n}" for n in range(50)]
GROUP_SIZE = 4  # scenario 1
demo_server = start_demo_server()


def all_at_once(function, items):
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(function, items))


def test_fifty_learners_at_once(demo_server):
    learners = {name: Browserless(demo_server, name, scenario="collective_coaching.1") for name in LEARNERS}
    all_at_once(lambda learner: learner.open_unit(), learners.values())

    def share(learner):
        return [
            learner.post("submit_contribution", {"stage_id": "contract"}),
            learner.post(
                "submit_contribution", {"stage_id": "tell", "text": f"Story of {learner.student}", "sharing": "group"}
            ),
        ]

    statuses = [status for results in all_at_once(share, learners.values()) for status, _ in results]
    assert set(statuses) == {200}

    states = dict(zip(LEARNERS, all_at_once(lambda learner: learner.ok("get_state"), learners.values()), strict=True))
    groups = defaultdict(set)
    for name, state in states.items():
        groups[state["group"]["id"]].add(name)
    assert sum(len(members) for members in groups.values()) == len(LEARNERS)  # nobody in two groups, nobody lost
    assert max(len(members) for members in groups.values()) <= GROUP_SIZE
    per_cohort = Counter(cohort_for_unknown(name) for name in LEARNERS)
    assert len(groups) == sum(-(-count // GROUP_SIZE) for count in per_cohort.values())  # at most one not full

    def witness(name):
        stories = [c for c in states[name]["contributions"] if not c["mine"] and c["stage_id"] == "tell"]
        return [
            learners[name].post("submit_reflection", {"contribution_id": c["id"], "answers": {"image": "x"}})[0]
            for c in stories
        ]

    reflection_statuses = [status for results in all_at_once(witness, LEARNERS) for status in results]
    assert set(reflection_statuses) == {200}
    expected_reflections = sum(len(members) * (len(members) - 1) for members in groups.values())
    assert len(reflection_statuses) == expected_reflections

    def save_plan(name):
        return learners[name].post("save_group_plan", {"text": f"plan by {name}", "version": 0})

    # The act stage is open only after witnessing and themes: open it for every group first.
    facilitator = Browserless(demo_server, "facilitator", scenario="collective_coaching.1")
    facilitator.ok_after_open("open_stage", {"stage_id": "act", "all": True})
    plan_results = dict(zip(LEARNERS, all_at_once(save_plan, LEARNERS), strict=True))
    assert {status for status, _ in plan_results.values()} <= {200, 409}
    for members in groups.values():
        wins = [name for name in members if plan_results[name][0] == 200]
        assert len(wins) == 1  # everyone started from version 0: exactly one save per group succeeds
        plan = learners[next(iter(members))].ok("get_state")["group_plan"]
        assert plan["version"] == 1 and plan["text"] == f"plan by {wins[0]}"
        assert len(learners[next(iter(members))].ok("plan_history")["versions"]) == 1  # one version per save

    export = (
        facilitator.opener.open(
            f"{demo_server}/handler/{facilitator.usage_id}/export_csv/?student=facilitator", timeout=60
        )
        .read()
        .decode("utf-8-sig")
    )
    rows = list(csv.DictReader(io.StringIO(export)))
    crowd = [row for row in rows if row["username"].startswith("crowd-")]
    assert len(crowd) == len(LEARNERS) and len({row["member_id"] for row in crowd}) == len(LEARNERS)
    assert sum(int(row["reflections_given"]) for row in crowd) == expected_reflections
    assert all(row["status:tell"] == "done" for row in crowd)


def test_one_learners_draft_and_plan_saves_crossing_each_other(demo_server):
    learner = Browserless(demo_server, "crossing", scenario="collective_coaching.1")
    learner.open_unit()
    learner.ok("submit_contribution", {"stage_id": "contract"})
    facilitator = Browserless(demo_server, "facilitator", scenario="collective_coaching.1")
    facilitator.ok_after_open("open_stage", {"stage_id": "act", "all": True})
    version = first = learner.ok("get_state")["group_plan"]["version"]
    statuses = Counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        for n in range(40):
            text = f"Meet on Tuesday, version {n}."
            plan = pool.submit(learner.post, "save_group_plan", {"text": text, "version": version})
            draft = pool.submit(learner.post, "save_draft", {"key": "plan", "text": text + " And"})
            (plan_status, saved), (draft_status, _) = plan.result(), draft.result()
            statuses[plan_status, draft_status] += 1
            if plan_status == 200:
                version = saved["group_plan"]["version"]
    assert set(statuses) == {(200, 200)}, statuses
    assert version == first + 40  # every save made its version
    assert [v["version"] for v in learner.ok("plan_history")["versions"]][:40] == list(range(first + 40, first, -1))

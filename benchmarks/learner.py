"""Benchmark: the learner's view and handlers against xblock-poll's and a trivial block's, side by side.

For each cohort size (10 to 10,000 learners) and group size (3 and 8), one learner's
``student_view`` and each learner handler are timed interleaved with their comparisons, in one
loop in one process (A, B, floor, A, B, floor...): our view against xblock-poll's view and a
trivial block's page; ``get_state`` and each learner write against poll's ``vote`` and a trivial
block's no-op JSON handler (the runtime's floor). ROUNDS rounds of RUNS calls each: medians and
95th percentiles over all calls, and the ratio ours / poll's per round, so that its spread shows.
Queries are counted per call, with the floor's, in the same run. Our JavaScript and CSS are
weighed. Run with ``make bench``; figures go to the screen and to ``var/bench.json``.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collective_coaching_xblock.demo.settings")
# The benchmark's database and logs live in the tree's ignored var/ and are removed at exit.
_VAR = Path(__file__).resolve().parent.parent / "var"
_VAR.mkdir(exist_ok=True)
os.environ.setdefault("COLLECTIVE_COACHING_VAR", tempfile.mkdtemp(prefix="cc-bench-", dir=_VAR))
atexit.register(shutil.rmtree, os.environ["COLLECTIVE_COACHING_VAR"], ignore_errors=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402

from collective_coaching_xblock import rendering  # noqa: E402
from collective_coaching_xblock.demo.data import DEMO_COURSE_ID  # noqa: E402
from collective_coaching_xblock.demo.floor import add_floor_block, floor_queries, with_floor_block  # noqa: E402
from collective_coaching_xblock.demo.scale import seed_learners  # noqa: E402
from collective_coaching_xblock.models import Contribution, Membership  # noqa: E402

ROUNDS = 5
RUNS = 8  # calls of each request per round
client = Client()
voters = iter(range(10**9))  # poll takes one vote per student: each vote is a new student's


class Series:
    """Timings (ms) of one request, by round, and the queries of its last call."""

    def __init__(self):
        self.rounds: list[list[float]] = []
        self.queries = 0

    def run(self, action, i: int) -> None:
        reset_queries()  # the query log is a bounded deque: a full one would count nothing
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action(i)
            elapsed = (time.perf_counter() - started) * 1000
        self.rounds[-1].append(elapsed)
        self.queries = len(captured)

    @property
    def samples(self) -> list[float]:
        return sorted(sample for one_round in self.rounds for sample in one_round)

    def figures(self) -> dict:
        samples = self.samples
        return {
            "median_ms": statistics.median(samples),
            "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
            "queries": self.queries,
            "samples_ms": [round(sample, 3) for sample in samples],
        }


def ratio_figures(ours: Series, theirs: Series) -> dict:
    """Ours / theirs: the median of each round's ratio of medians, with the rounds' spread."""
    ratios = [statistics.median(a) / statistics.median(b) for a, b in zip(ours.rounds, theirs.rounds, strict=True)]
    return {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios), "rounds": ratios}


def post(usage_id, student, handler, body):
    response = client.post(
        f"/handler/{usage_id}/{handler}/?student={student}", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, (handler, response.content[:200])
    return json.loads(response.content)


def render(usage_id, student):
    WorkbenchRuntime(student).get_block(usage_id).render("student_view", {})


def setup_block(cohort_size, group_size):
    """Our block with ``cohort_size`` learners, alice among them with her work done; (usage id, a peer's story)."""
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario(f"bench-{cohort_size}-{group_size}")
    usage_id = runtime.parse_xml_string(
        f'<collective_coaching group_size="{group_size}" peers_after_own_story="false"/>'
    )
    seed_learners(
        usage_id,
        DEMO_COURSE_ID,
        cohort_size - 1,
        group_size=group_size,
        cohorts=(("cohort-a", "Cohort A"),),
        prefix=f"c{cohort_size}g{group_size}",
    )
    render(usage_id, "alice")  # alice joins the cohort's group that is not full
    post(usage_id, "alice", "submit_contribution", {"stage_id": "contract"})
    post(usage_id, "alice", "submit_contribution", {"stage_id": "tell", "text": "My story.", "sharing": "group"})
    me = Membership.objects.get(block_id=usage_id, learner_key="alice")
    stories = Contribution.objects.filter(author__group_id=me.group_id, stage_id="tell").select_related("author")
    peer = stories.exclude(author=me).first()
    if peer is None:  # alice opened a new group: give her a peer
        seed_learners(
            usage_id,
            DEMO_COURSE_ID,
            1,
            group_size=group_size,
            cohorts=(("cohort-a", "Cohort A"),),
            prefix=f"peer{cohort_size}g{group_size}",
        )
        peer = (
            Contribution.objects.filter(stage_id="tell", author__block_id=usage_id)
            .exclude(author=me)
            .select_related("author")
            .last()
        )
        Membership.objects.filter(pk=peer.author_id).update(group_id=me.group_id)
    for story in Contribution.objects.filter(author__group_id=me.group_id, stage_id="tell").exclude(author=me):
        post(usage_id, "alice", "submit_reflection", {"contribution_id": story.pk, "answers": {"image": "x"}})
    post(usage_id, "alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    return usage_id, peer


def bench_size(cohort_size, group_size, poll_id, floor_id):
    usage_id, peer = setup_block(cohort_size, group_size)
    mine = Contribution.objects.get(author__block_id=usage_id, author__learner_key="alice", stage_id="tell").pk
    plan = {"version": 0}

    def save_plan(i):
        answer = post(usage_id, "alice", "save_group_plan", {"text": f"plan {i}", "version": plan["version"]})
        plan["version"] = answer["group_plan"]["version"]

    ours = {
        "student_view": lambda i: render(usage_id, "alice"),
        "get_state": lambda i: post(usage_id, "alice", "get_state", {}),
        "submit_contribution": lambda i: post(
            usage_id,
            "alice",
            "submit_contribution",
            {"stage_id": "tell", "text": f"My story, version {i}.", "sharing": "group"},
        ),
        "submit_reflection": lambda i: post(
            usage_id, "alice", "submit_reflection", {"contribution_id": peer.pk, "answers": {"image": f"x {i}"}}
        ),
        "tag_themes": lambda i: post(
            usage_id, "alice", "tag_themes", {"themes": [{"theme": "time", "structural": i % 2 == 0}]}
        ),
        "save_group_plan": save_plan,
        # a peer flags alice's story (a flagged item is hidden from its reporter, and alice keeps witnessing)
        "flag_content": lambda i: post(
            usage_id, peer.author.learner_key, "flag_content", {"kind": "contribution", "id": mine, "reason": f"r {i}"}
        ),
    }
    comparisons = {
        "poll student_view": lambda i: render(poll_id, "alice"),
        "poll vote": lambda i: post(poll_id, f"voter-{next(voters)}", "vote", {"choice": "R"}),
        "floor page": lambda i: render(floor_id, "alice"),
        "floor handler": lambda i: post(floor_id, "alice", "noop", {}),
    }
    # what of ours -> (poll's request it is compared with, the floor's request)
    pairs = dict.fromkeys(ours, ("poll vote", "floor handler"))
    pairs["student_view"] = ("poll student_view", "floor page")
    series = {name: Series() for name in [*ours, *comparisons]}
    for action in [*ours.values(), *comparisons.values()]:
        action(-1)  # warm up: the first call of a kind may create what later calls update
    for _round in range(ROUNDS):
        for each in series.values():
            each.rounds.append([])
        for i in range(RUNS):
            for name, action in ours.items():  # interleaved: ours, poll's, the floor, ours...
                poll_name, floor_name = pairs[name]
                order = [(name, action), (poll_name, comparisons[poll_name]), (floor_name, comparisons[floor_name])]
                if i % 2:
                    order = order[1:] + order[:1]  # and every other time in another order
                for which, run in order:
                    series[which].run(run, i)
    figures = {}
    for name in ours:
        poll_name, floor_name = pairs[name]
        figures[name] = {
            **series[name].figures(),
            "compared_with": poll_name,
            "vs_poll": ratio_figures(series[name], series[poll_name]),
            "vs_floor": ratio_figures(series[name], series[floor_name]),
        }
    figures["comparisons"] = {name: series[name].figures() for name in comparisons}
    return figures


def page_weight():
    """Bytes of our own JavaScript and CSS that the learner's page loads."""
    files = (
        "static/js/common.js",
        "static/js/journey.js",
        "static/js/fields.js",
        "static/js/learner.js",
        "static/css/coaching.css",
    )
    return {name: len(rendering.resource_text(name).encode()) for name in files}


@with_floor_block
def main(sizes):
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("seed_demo", verbosity=0)
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench-poll")
    poll_id = runtime.parse_xml_string("<poll/>")
    floor_id = add_floor_block("bench-floor")
    floor = floor_queries(client)
    results = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load": os.getloadavg()},
        "rounds": ROUNDS,
        "runs_per_round": RUNS,
        "floor": floor,
        "learner": {},
    }
    print(f"floor (a trivial block in the same runtime): page {floor['page']} queries, handler {floor['handler']}")
    print(f"{ROUNDS} rounds of {RUNS} calls each, interleaved; ratio = median of the rounds' ratios (min-max)")
    print(
        f"{'cohort':>6} {'group':>5} {'what':<20} {'median':>7} {'p95':>7} {'queries':>7} {'own':>4}"
        f"  {'compared with':<17} {'its median':>10} {'queries':>7}  {'ratio (min-max)':<17} {'x floor':>7}"
    )
    for cohort_size in sizes:
        for group_size in (3, 8):
            figures = bench_size(cohort_size, group_size, poll_id, floor_id)
            results["learner"][f"{cohort_size}/{group_size}"] = figures
            for name, row in figures.items():
                if name == "comparisons":
                    continue
                other = figures["comparisons"][row["compared_with"]]
                kind = "page" if name == "student_view" else "handler"
                ratio = row["vs_poll"]
                print(
                    f"{cohort_size:>6} {group_size:>5} {name:<20} {row['median_ms']:>7.1f} {row['p95_ms']:>7.1f}"
                    f" {row['queries']:>7} {row['queries'] - floor[kind]:>4}  {row['compared_with']:<17}"
                    f" {other['median_ms']:>10.1f} {other['queries']:>7}"
                    f"  {ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f}){'':<3}"
                    f" {row['vs_floor']['median']:>7.1f}"
                )
            for name in ("floor page", "floor handler"):
                row = figures["comparisons"][name]
                print(
                    f"{cohort_size:>6} {group_size:>5} {name:<20} {row['median_ms']:>7.1f} {row['p95_ms']:>7.1f}"
                    f" {row['queries']:>7}"
                )
    summary = {}
    for name in next(iter(results["learner"].values())):
        if name == "comparisons":
            continue
        ratios = [r for figures in results["learner"].values() for r in figures[name]["vs_poll"]["rounds"]]
        summary[name] = {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)}
    results["ratios_vs_poll"] = summary
    print("ours / xblock-poll's over every size and round: median (min-max)")
    for name, ratio in summary.items():
        compared = "student_view" if name == "student_view" else "vote"
        print(f"  {name:<20} / poll {compared:<13} {ratio['median']:.2f} ({ratio['min']:.2f}-{ratio['max']:.2f})")
    results["page_weight_bytes"] = page_weight()
    print(
        f"page weight (our JS and CSS): {sum(results['page_weight_bytes'].values())} bytes "
        f"{results['page_weight_bytes']}"
    )
    out = Path("var") / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written to {out}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 1000, 10000])

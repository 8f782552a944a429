"""Benchmark: the learner's view and handlers, with groups of 3 and 8 in cohorts of 10 to 10,000.

For each cohort size and group size, one learner's ``student_view`` render and each learner
handler are timed (median and 95th percentile of RUNS calls, ms) with their SQL queries. In the
same process, xblock-poll's ``student_view`` and ``vote`` are timed the same way, and our view's
median is given as a multiple of theirs. Our own JavaScript and CSS are weighed. Run with
``make bench``; figures go to the screen and to ``var/bench.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collective_coaching_xblock.demo.settings")
os.environ.setdefault("COLLECTIVE_COACHING_VAR", tempfile.mkdtemp(prefix="cc-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402

from collective_coaching_xblock import rendering  # noqa: E402
from collective_coaching_xblock.demo.data import DEMO_COURSE_ID  # noqa: E402
from collective_coaching_xblock.demo.scale import seed_learners  # noqa: E402
from collective_coaching_xblock.models import Contribution, Membership  # noqa: E402

RUNS = 20
client = Client()


def timed(action, runs=RUNS):
    """(median ms, p95 ms, queries of one call) of ``action(i)`` for i in range(runs)."""
    samples, queries = [], 0
    for i in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action(i)
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))], queries


def post(usage_id, student, handler, body):
    response = client.post(
        f"/handler/{usage_id}/{handler}/?student={student}", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, (handler, response.content[:200])
    return json.loads(response.content)


def render(usage_id, student):
    WorkbenchRuntime(student).get_block(usage_id).render("student_view", {})


def bench_block(cohort_size, group_size):
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
    peer = Contribution.objects.filter(author__group_id=me.group_id, stage_id="tell").exclude(author=me).first()
    if peer is None:  # alice opened a new group: give her a peer
        seed_learners(
            usage_id,
            DEMO_COURSE_ID,
            1,
            group_size=group_size,
            cohorts=(("cohort-a", "Cohort A"),),
            prefix=f"peer{cohort_size}g{group_size}",
        )
        peer = Contribution.objects.filter(stage_id="tell", author__block_id=usage_id).exclude(author=me).last()
        Membership.objects.filter(pk=peer.author_id).update(group_id=me.group_id)
    for story in Contribution.objects.filter(author__group_id=me.group_id, stage_id="tell").exclude(author=me):
        post(usage_id, "alice", "submit_reflection", {"contribution_id": story.pk, "answers": {"image": "x"}})
    post(usage_id, "alice", "tag_themes", {"themes": [{"theme": "time", "structural": True}]})
    plan = {"version": 0}

    def save_plan(i):
        plan["version"] = post(usage_id, "alice", "save_group_plan", {"text": f"plan {i}", "version": plan["version"]})[
            "group_plan"
        ]["version"]

    measurements = {
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
        "flag_content": lambda i: post(
            usage_id, "alice", "flag_content", {"kind": "contribution", "id": peer.pk, "reason": f"reason {i}"}
        ),
    }
    return {name: timed(action) for name, action in measurements.items()}


def bench_poll():
    runtime = WorkbenchRuntime()
    runtime.id_generator.set_scenario("bench-poll")
    usage_id = runtime.parse_xml_string("<poll/>")
    view = timed(lambda i: render(usage_id, "alice"))
    vote = timed(lambda i: post(usage_id, f"voter-{i}", "vote", {"choice": "R"}))
    return {"student_view": view, "vote": vote}


def page_weight():
    """Bytes of our own JavaScript and CSS that the learner's page loads."""
    files = ("static/js/common.js", "static/js/learner.js", "static/css/coaching.css")
    return {name: len(rendering.resource_text(name).encode()) for name in files}


def main(sizes):
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("seed_demo", verbosity=0)
    results = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}, "learner": {}, "poll": {}}
    print(f"{'cohort':>7} {'group':>5} {'what':<20} {'median ms':>9} {'p95 ms':>8} {'queries':>7}")
    for cohort_size in sizes:
        for group_size in (3, 8):
            figures = bench_block(cohort_size, group_size)
            results["learner"][f"{cohort_size}/{group_size}"] = figures
            for name, (median, p95, queries) in figures.items():
                print(f"{cohort_size:>7} {group_size:>5} {name:<20} {median:>9.1f} {p95:>8.1f} {queries:>7}")
    poll = bench_poll()
    results["poll"] = poll
    for name, (median, p95, queries) in poll.items():
        print(f"{'poll':>7} {'':>5} {name:<20} {median:>9.1f} {p95:>8.1f} {queries:>7}")
    ours = statistics.median(figures["student_view"][0] for figures in results["learner"].values())
    results["student_view_vs_poll"] = ours / poll["student_view"][0]
    results["page_weight_bytes"] = page_weight()
    print(f"student_view, ours / xblock-poll's (median over all sizes): {results['student_view_vs_poll']:.2f}")
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

"""A load test: many learners at once against the demo in several gunicorn worker processes.

``gunicorn_demo(folder, workers)`` serves the demo as the platform serves the LMS (worker
processes over one database: MariaDB when ``COLLECTIVE_COACHING_MYSQL`` names a server, else a
SQLite file). ``run_load(base, learners)`` sends that many learners through the journey at once
(join, consent, tell, witness, themes, plan) while a facilitator reads the dashboard and moves
people between groups, then checks what the database says through the export and each learner's
state. Used by ``tests/test_load.py`` (a few learners) and ``benchmarks/load.py`` (200).
Loopback only; every request has a time limit and the number of learners is bounded.
"""

from __future__ import annotations

import csv
import io
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .data import cohort_for_unknown
from .server import Browserless, serving

SCENARIO = "collective_coaching.1"  # group size 4, peers' stories after one's own
GROUP_SIZE = 4
MAX_LEARNERS = 500
CLIENT_THREADS = 16


@contextmanager
def gunicorn_demo(folder: Path, workers: int = 4):
    """``migrate``, ``seed_demo``, then gunicorn with ``workers`` processes; yields the base URL."""

    def gunicorn(port: int) -> list[str]:
        return [
            "-m",
            "gunicorn",
            "--preload",  # the workbench's scenarios are built once, before the workers fork
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "collective_coaching_xblock.demo.wsgi:application",
        ]

    with serving(folder, gunicorn, name="gunicorn", start_seconds=60, stop_seconds=30) as base:
        yield base


@dataclass
class LoadReport:
    learners: int
    seconds: float = 0.0
    calls: list[tuple[str, float, int]] = field(default_factory=list)  # (what, seconds, HTTP status)
    problems: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, what: str, seconds: float, status: int) -> None:
        with self._lock:
            self.calls.append((what, seconds, status))

    def latencies(self) -> dict[str, dict]:
        """Per request kind: count, p50, p95 and p99 in ms, and the statuses seen."""
        by_kind: dict[str, list] = defaultdict(list)
        statuses: dict[str, Counter] = defaultdict(Counter)
        for what, seconds, status in self.calls:
            by_kind[what].append(seconds * 1000)
            statuses[what][status] += 1
        figures = {}
        for what, samples in sorted(by_kind.items()):
            samples.sort()
            figures[what] = {
                "count": len(samples),
                "p50": statistics.median(samples),
                "p95": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
                "p99": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
                "statuses": dict(statuses[what]),
            }
        return figures

    def summary(self) -> dict:
        return {
            "learners": self.learners,
            "requests": len(self.calls),
            "seconds": self.seconds,
            "throughput_per_s": len(self.calls) / self.seconds if self.seconds else 0.0,
            "server_errors": sum(1 for _what, _s, status in self.calls if status >= 500),
            "handlers": self.latencies(),
            "problems": self.problems,
        }


class _Learner(Browserless):
    """A learner's session whose every request is timed into the report."""

    def __init__(self, base: str, student: str, report: LoadReport):
        super().__init__(base, student, scenario=SCENARIO)
        self.report = report

    def open_unit(self) -> str:
        started = time.perf_counter()
        try:
            html = super().open_unit()
        except urllib.error.HTTPError as error:
            self.report.record("page", time.perf_counter() - started, error.code)
            raise
        self.report.record("page", time.perf_counter() - started, 200)
        return html

    def post(self, handler: str, body, *, csrf: bool = True):
        started = time.perf_counter()
        status, data = super().post(handler, body, csrf=csrf)
        self.report.record(handler, time.perf_counter() - started, status)
        return status, data


def _all(function, items, threads=CLIENT_THREADS):
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(function, items))


def _facilitate(facilitator: _Learner, stop: threading.Event, moving: threading.Event, moves: list) -> None:
    """Until ``stop``: read both cohorts' dashboards and, while ``moving``, move someone away and back."""
    turn = 0
    while not stop.is_set():
        for cohort in ("cohort-a", "cohort-b"):
            status, data = facilitator.post("dashboard_data", {"cohort": cohort})
            groups = [g for g in data.get("groups", []) if g["members"]] if status == 200 else []
            if len(groups) < 2 or not moving.is_set():
                continue
            source, target = groups[turn % len(groups)], groups[(turn + 1) % len(groups)]
            member = source["members"][0]["id"]
            there, _ = facilitator.post("move_member", {"member_id": member, "group_id": target["id"]})
            back, _ = facilitator.post("move_member", {"member_id": member, "group_id": source["id"]})
            moves.append((there, back))
            turn += 1
        stop.wait(0.2)


def run_load(base: str, learners: int) -> LoadReport:
    """``learners`` learners through the journey at once, a facilitator alongside; then the checks."""
    if not 1 <= learners <= MAX_LEARNERS:
        raise ValueError(f"between 1 and {MAX_LEARNERS} learners")
    report = LoadReport(learners)
    names = [f"load-{n}" for n in range(learners)]
    people = {name: _Learner(base, name, report) for name in names}
    facilitator = _Learner(base, "facilitator", report)
    facilitator.open_unit()
    stop, moving, moves = threading.Event(), threading.Event(), []
    started = time.perf_counter()
    _all(lambda learner: learner.open_unit(), people.values())  # join: everyone at once
    # The facilitator reads the dashboard alongside the rest of the journey, and moves people (away
    # and straight back) until the plans: a plan save is then counted for the group it answers with.
    moving.set()
    watcher = threading.Thread(target=_facilitate, args=(facilitator, stop, moving, moves))
    watcher.start()
    try:
        _all(_tell, people.values())
        # A learner alone in their cohort's last group has no story to witness: as a facilitator
        # would, open the themes for every group (everyone still witnesses every peer's story first).
        facilitator.post("open_stage", {"stage_id": "themes", "all": True})
        states = dict(zip(names, _all(lambda learner: learner.post("get_state", {})[1], people.values()), strict=True))
        reflections = _all(lambda name: _themes_after_witnessing(people[name], states[name]), names)
        moving.clear()
        facilitator.post("open_stage", {"stage_id": "act", "all": True})
        saves = [group for groups in _all(_save_plan, people.values()) for group in groups]
    finally:
        stop.set()
        watcher.join(timeout=60)
    report.seconds = time.perf_counter() - started
    _check(report, facilitator, people, reflections, saves, moves)
    return report


def _tell(learner: _Learner) -> None:
    learner.post("submit_contribution", {"stage_id": "contract"})
    learner.post("submit_contribution", {"stage_id": "tell", "text": f"Story of {learner.student}", "sharing": "group"})


def _themes_after_witnessing(learner: _Learner, state: dict) -> set[int]:
    """Witness, then name themes; a learner moved meanwhile reads their group again and goes on."""
    saved = set()
    for _attempt in range(3):
        saved |= _witness(learner, state)
        status, _ = learner.post("tag_themes", {"themes": [{"theme": "time", "structural": True}]})
        if status == 200:
            break
        state = learner.post("get_state", {})[1]
    return saved


def _witness(learner: _Learner, state: dict) -> set[int]:
    """Reflect on every peer's story not yet reflected on; the ids of the stories whose reflection was saved."""
    saved = set()
    done = {r["contribution_id"] for r in state.get("reflections", []) if r["mine"]}
    for story in state.get("contributions", []):
        if story["stage_id"] == "tell" and not story["mine"] and story["id"] not in done:
            status, _ = learner.post("submit_reflection", {"contribution_id": story["id"], "answers": {"image": "x"}})
            if status == 200:
                saved.add(story["id"])
    return saved


def _save_plan(learner: _Learner) -> list[int]:
    """Save the group plan twice from the version read, retrying conflicts: the group of each save."""
    saved = []
    for attempt in range(5):
        status, state = learner.post("get_state", {})
        if status != 200:
            continue
        body = {"text": f"plan by {learner.student} ({attempt})", "version": state["group_plan"]["version"]}
        status, answer = learner.post("save_group_plan", body)
        if status == 200:
            saved.append(answer["group"]["id"])
            if len(saved) == 2:
                break
    return saved


def _check(report, facilitator, people, reflections, saves, moves) -> None:
    problems = report.problems
    errors = Counter(what for what, _s, status in report.calls if status >= 500)
    if errors:
        problems.append(f"5xx answers: {dict(errors)}")
    if not moves or any(pair != (200, 200) for pair in moves):
        problems.append(f"the facilitator's moves: {moves[:10]} ({len(moves)})")
    url = f"{facilitator.base}/handler/{facilitator.usage_id}/export_csv/?student=facilitator"
    rows = list(csv.DictReader(io.StringIO(facilitator.opener.open(url, timeout=120).read().decode("utf-8-sig"))))
    rows = [row for row in rows if row["username"] in people]
    if sorted(row["username"] for row in rows) != sorted(people):
        problems.append(f"learners in the export: {len(rows)} rows for {len(people)} learners (one group each)")
    sizes = Counter((row["cohort"], row["group"]) for row in rows)
    if max(sizes.values(), default=0) > GROUP_SIZE:
        problems.append(f"groups over their size: {[g for g, n in sizes.items() if n > GROUP_SIZE]}")
    per_cohort = Counter(cohort_for_unknown(name) for name in people)
    if len(sizes) != sum(-(-n // GROUP_SIZE) for n in per_cohort.values()):
        problems.append(f"{len(sizes)} groups for cohorts of {dict(per_cohort)}: more than one not full")
    given = sum(int(row["reflections_given"]) for row in rows)
    if given != sum(len(saved) for saved in reflections):  # every reflection saved once, none lost
        problems.append(f"reflections: {given} counted for {sum(len(s) for s in reflections)} saved")
    for step in ("contract", "tell", "themes"):
        if any(row[f"status:{step}"] != "done" for row in rows):
            problems.append(f"someone's {step} is not done")
    wins = Counter(saves)  # group id -> plan saves that succeeded
    for name, learner in people.items():
        status, state = learner.post("get_state", {})
        if status != 200:
            problems.append(f"{name}: get_state {status}")
            continue
        plan = state["group_plan"]
        _status, history = learner.post("plan_history", {})
        versions = len(history.get("versions", ()))
        if plan["version"] != wins[state["group"]["id"]] or versions != plan["version"]:
            problems.append(
                f"group {state['group']['id']}: plan version {plan['version']}, {versions} revisions "
                f"for {wins[state['group']['id']]} saves"
            )
    report.problems = sorted(set(problems))

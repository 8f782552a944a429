"""Benchmark: 200 learners at once against the demo in four gunicorn worker processes.

Every learner joins, consents, tells, witnesses, names themes and saves the group plan while a
facilitator reads the dashboard and moves people (``collective_coaching_xblock/demo/load.py``).
Prints p50, p95 and p99 latency per request kind and the throughput, then the checks (no 5xx,
no group over its size, nobody in two groups, every write counted once, one plan version per
save). The database is MariaDB when ``COLLECTIVE_COACHING_MYSQL`` names a server (``make bench``
starts one with ``scripts/with-mariadb`` where MariaDB is installed), else SQLite. Figures are
added to ``var/bench.json`` under ``load``. Loopback only.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from collective_coaching_xblock.demo.load import gunicorn_demo, run_load

WORKERS = 4


def main(learners: int) -> int:
    database = "MariaDB" if os.environ.get("COLLECTIVE_COACHING_MYSQL") else "SQLite"
    var = Path(__file__).resolve().parent.parent / "var"  # the tree's ignored folder; removed afterwards
    var.mkdir(exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="cc-load-", dir=var) as folder,
        gunicorn_demo(Path(folder), workers=WORKERS) as base,
    ):
        report = run_load(base, learners)
    summary = {"database": database, "workers": WORKERS, **report.summary()}
    print(f"{learners} learners, gunicorn with {WORKERS} workers, {database}: ", end="")
    print(f"{summary['requests']} requests in {summary['seconds']:.1f} s, ", end="")
    print(f"{summary['throughput_per_s']:.1f} requests/s, {summary['server_errors']} 5xx")
    print(f"{'what':<20} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for what, figures in summary["handlers"].items():
        print(
            f"{what:<20} {figures['count']:>6} {figures['p50']:>8.1f} {figures['p95']:>8.1f} {figures['p99']:>8.1f}"
            f"  {figures['statuses']}"
        )
    print("checks:", "all passed" if not summary["problems"] else summary["problems"])
    out = Path("var") / "bench.json"
    out.parent.mkdir(exist_ok=True)
    results = json.loads(out.read_text()) if out.exists() else {}
    results["load"] = summary
    out.write_text(json.dumps(results, indent=2))
    print(f"added to {out}")
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))

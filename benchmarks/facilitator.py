"""Benchmark: the facilitator dashboard and the CSV export at 10, 1,000 and 10,000 learners.

Prints, for each size: time (median of the runs, ms, wall clock and this process's CPU time:
the machines are shared, and CPU time moves less with the others' load), SQL queries and peak Python memory
(tracemalloc, MiB) of ``dashboard_data`` (one cohort, first page) and of the export with texts,
both through the XBlock handler (which the platform buffers) and the app's streaming view.
Run with ``make bench`` (or ``python benchmarks/facilitator.py [sizes...]``). It uses a fresh
SQLite database in a temporary folder; nothing else is touched.
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
import tracemalloc
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

from collective_coaching_xblock.demo.data import DEMO_COURSE_ID  # noqa: E402
from collective_coaching_xblock.demo.scale import seed_learners  # noqa: E402

RUNS = 5


def measure(action):
    """(median ms over RUNS runs, median CPU ms, SQL queries, peak MiB) of ``action``.

    Time is measured without tracemalloc (which slows allocation-heavy code several times);
    one more run, traced, gives the peak memory.
    """
    times, cpu = [], []
    for _ in range(RUNS):
        reset_queries()  # the query log is a bounded deque: a full one would count nothing
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            action()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return statistics.median(times), statistics.median(cpu), len(queries), peak


def main(sizes):
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command("seed_demo", verbosity=0)
    client = Client()
    results = []
    seeded = 0
    for size in sizes:
        runtime = WorkbenchRuntime()
        runtime.id_generator.set_scenario(f"bench-{size}")
        usage_id = runtime.parse_xml_string('<collective_coaching group_size="4"/>')
        seed_learners(usage_id, DEMO_COURSE_ID, size, prefix=f"b{seeded}")
        seeded += size

        def dashboard(usage_id=usage_id):
            response = client.post(
                f"/handler/{usage_id}/dashboard_data/?student=facilitator",
                data=json.dumps({"cohort": "cohort-a"}),
                content_type="application/json",
            )
            assert response.status_code == 200, response.content

        def export_handler(usage_id=usage_id, size=size):
            # The XBlock handler route: the LMS and the workbench buffer the whole body.
            response = client.get(f"/handler/{usage_id}/export_csv/?student=facilitator&texts=1")
            assert response.content.count(b"\n") == size + 1

        def export_stream(usage_id=usage_id, size=size):
            # The coaching app's streaming view: read chunk by chunk, as a browser download does.
            response = client.get(f"/collective-coaching/export/{usage_id}.csv?student=facilitator&texts=1")
            assert sum(chunk.count(b"\n") for chunk in response.streaming_content) == size + 1

        actions = (
            ("dashboard_data", dashboard),
            ("export (handler)", export_handler),
            ("export (stream)", export_stream),
        )
        for name, action in actions:
            median, cpu, queries, peak = measure(action)
            results.append((size, name, median, cpu, queries, peak))
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'learners':>9} {'what':<17} {'median ms':>10} {'CPU ms':>8} {'queries':>8} {'peak MiB':>9}")
    for size, name, median, cpu, queries, peak in results:
        print(f"{size:>9} {name:<17} {median:>10.1f} {cpu:>8.1f} {queries:>8} {peak:>9.1f}")
    return results


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 1000, 10000])

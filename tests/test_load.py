"""Many learners at once against the demo in four gunicorn worker processes over one database.

The small version of ``benchmarks/load.py`` (which ``make bench`` runs with 200 learners): every
learner joins, consents, tells, witnesses, names themes and saves the group plan while a
facilitator reads the dashboard and moves people. Afterwards: no 5xx, no group over its size, no
learner in two groups, every write counted once, one plan version per save (``demo/load.py``).
"""

from __future__ import annotations

import os

import pytest

from collective_coaching_xblock.demo.load import gunicorn_demo, run_load

LEARNERS = 24


@pytest.mark.parametrize("database", ["sqlite", "mariadb"])
def test_learners_at_once_under_gunicorn(database, tmp_path, monkeypatch):
    on_mariadb = bool(os.environ.get("COLLECTIVE_COACHING_MYSQL"))
    if database == "mariadb" and not on_mariadb:
        pytest.skip("no MariaDB server: run under scripts/with-mariadb (make test, make test-mysql) for this one")
    if database == "sqlite" and on_mariadb:
        pytest.skip("this run is on MariaDB; the SQLite run covers SQLite")
    with gunicorn_demo(tmp_path, workers=4) as base:
        report = run_load(base, LEARNERS)
    summary = report.summary()
    statuses = {handler: figures["statuses"] for handler, figures in summary["handlers"].items()}
    assert summary["problems"] == [], (summary["problems"], statuses)
    assert summary["server_errors"] == 0, summary
    assert summary["handlers"]["submit_contribution"]["statuses"] == {200: 2 * LEARNERS}, summary

"""`hall bench county-day` at its smallest size runs end to end, so it cannot rot: every kind
of request answered without error, every event applied, the last line one JSON object."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from deploy.env import REPO_ROOT

DATABASE = os.environ.get("HALL_TEST_DATABASE_URL", "")
BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")

pytestmark = [
    pytest.mark.real,
    pytest.mark.slow,
    pytest.mark.skipif(not DATABASE.startswith("postgres"), reason="needs PostgreSQL (--real)"),
    pytest.mark.skipif(not BROKER.startswith("amqp"), reason="needs RabbitMQ (--real)"),
]


def test_the_tiny_county_day_runs_clean():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HALL_", "DJANGO_"))}
    env["HALL_TEST_BROKER_URL"] = BROKER
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "deploy.cli",
            "bench",
            "county-day",
            "tiny",
            "db=hall_bench_county_day_test",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == 0, done.stdout[-3000:]
    kinds = {"case list", "citizen query", "kiosk board", "screen poll", "dashboard", "export"}
    rows = result["mixed"]["requests"]
    assert kinds <= set(rows)
    for label in kinds:  # alone: closed loop, so every kind answered at least once
        assert rows[label]["alone"]["n"] > 0, label
    assert sum(row["n"] for row in rows.values()) > 0  # the mixed run's clients think
    events = result["mixed"]["events"]
    assert events["sent"] > 0 and events["not_applied"] == 0
    assert events["p95_ms"] is not None

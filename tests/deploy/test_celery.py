"""The periodic clock tick: beat polls the database through each hall's own queue."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.env import REPO_ROOT

HALL = str(Path(sys.executable).parent / "hall")


def test_beat_polls_the_case_clock_every_five_minutes():
    from deploy.celery import app

    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule["cases-clock-tick"]["task"] == "cases.clock_tick"
    assert schedule["cases-clock-tick"]["schedule"] == 300.0
    assert "cases.clock_tick" in app.tasks


def shell(code: str, env: dict) -> str:
    result = subprocess.run(
        [HALL, "shell", "-v", "0", "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.multinode
def test_a_hall_worker_runs_the_tick_sent_to_its_own_queue_only(tmp_path):
    env = {
        **os.environ,
        "HALL_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "deploy.settings.node",
    }
    env.pop("HALL_TEST_DATABASE_URL", None)
    maan = {**env, "HALL_SITE": "t-maan"}
    subprocess.run(
        [HALL, "node", "--no-serve"],
        cwd=REPO_ROOT,
        env=maan,
        check=True,
        capture_output=True,
        timeout=180,
    )
    worker = subprocess.Popen(
        [HALL, "worker"],
        cwd=REPO_ROOT,
        env=maan,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        send = "from deploy.celery import app; app.send_task('cases.clock_tick'); print('ok')"
        # A tick sent to another hall's queue must not be taken by this worker.
        assert shell(send, {**env, "HALL_SITE": "t-huangtan"}) == "ok"
        assert shell(send, maan) == "ok"
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = worker.stdout.readline()
            lines.append(line)
            if "succeeded" in line:
                break
        assert any("cases.clock_tick" in x and "succeeded" in x for x in lines), "".join(lines)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    # only the clock ticks sent here (beat's own tasks, e.g. notify.send, run as well)
    received = [
        x for x in lines + output.splitlines() if "cases.clock_tick" in x and "received" in x
    ]
    assert len(received) == 1, received
    assert (tmp_path / "celery" / "t-huangtan").exists()

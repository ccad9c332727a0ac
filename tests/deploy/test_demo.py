"""The README's first command: every hall starts as its own process with its own database."""

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.env import REPO_ROOT

HALL = str(Path(sys.executable).parent / "hall")
# One var folder for the run, shared by the xdist workers: the first test starts the demo
# from empty databases; the Ctrl-C tests start it again on those databases (a second
# `./hall demo`), not migrating seven databases from nothing each time (ADR 0019). A file
# lock lets one demo at a time use the folder.
pytestmark = [pytest.mark.multinode]


@contextlib.contextmanager
def _locked(folder: Path):
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def demo_var(tmp_path_factory):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # HALL_VAR_DIR is <run>/gwN (test settings)
        folder = Path(os.environ["HALL_VAR_DIR"]).parent / "demo"
        folder.mkdir(exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="session")
def first_run(demo_var):
    """`hall demo --ready-only` from empty databases, run once for the whole run."""
    saved = demo_var / "first-run.json"
    with _locked(demo_var):
        if saved.exists():
            return subprocess.CompletedProcess(**json.loads(saved.read_text()))
        env = {**os.environ, "HALL_VAR_DIR": str(demo_var)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("HALL_SITE", None)
        done = subprocess.run(
            [HALL, "demo", "--ready-only", "--port", "18600"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=400,
        )
        saved.write_text(
            json.dumps(
                {
                    "args": done.args,
                    "returncode": done.returncode,
                    "stdout": done.stdout,
                    "stderr": done.stderr,
                }
            )
        )
        return done


@pytest.fixture
def demo_lock(demo_var):
    with _locked(demo_var):
        yield


def test_the_demo_starts_every_hall_and_stops_cleanly(demo_var, first_run, demo_lock):
    tmp_path, result = demo_var, first_run
    env = {**os.environ, "HALL_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("HALL_SITE", None)
    assert result.returncode == 0, result.stdout + result.stderr
    for code in ["county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe"]:
        assert code in result.stdout
        assert (tmp_path / f"{code}.sqlite3").exists()
    assert "http://127.0.0.1:18600/" in result.stdout
    assert "已停止" in result.stdout
    count = subprocess.run(
        [
            HALL,
            "--site",
            "county",
            "shell",
            "-v",
            "0",
            "-c",
            "from county.catalogue.models import Item; print(Item.objects.count())",
        ],
        cwd=REPO_ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "deploy.settings.node"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert int(count.stdout.strip()) >= 30, count.stderr
    assert "t-maan-clerk" in result.stdout
    roles = subprocess.run(
        [
            HALL,
            "--site",
            "t-maan",
            "shell",
            "-v",
            "0",
            "-c",
            "from django.contrib.auth import authenticate; "
            "from permissions.access import roles_of; "
            "u = authenticate(username='t-maan-clerk', password='qingshan-demo-2026'); "
            "print(sorted(str(r) for r in roles_of(user=u)))",
        ],
        cwd=REPO_ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "deploy.settings.node"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "clerk" in roles.stdout, roles.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_kill_stops_every_process(demo_var, first_run, demo_lock, signum):
    env = {**os.environ, "HALL_VAR_DIR": str(demo_var)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = 18700 if signum == signal.SIGINT else 18720
    demo = subprocess.Popen(
        [HALL, "demo", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    for line in demo.stdout:
        lines.append(line)
        if "Ctrl-C" in line:
            break
    assert any(f"http://127.0.0.1:{port + 6}/" in x for x in lines), "".join(lines)
    demo.send_signal(signum)
    rest = demo.communicate(timeout=180)[0]  # SIGTERM, then SIGKILL after 10 s
    assert demo.returncode == 0, rest
    assert "已停止" in rest
    for offset in range(7):  # every hall's port is free again: its server is gone
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port + offset)) != 0

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
# One var folder for the run, shared by the xdist workers: the first run starts the demo
# from empty databases and stops it with Ctrl-C, as a user does; its output, exit status and
# the state of its ports afterwards are what the first two tests check (ADR 0019: the demo
# once, everything checked in that run). The SIGTERM test starts it again on those
# databases (a second `./hall demo`). A file lock lets one demo at a time use the folder.
pytestmark = [pytest.mark.multinode]
FIRST_PORT = 18600


@contextlib.contextmanager
def _locked(folder: Path):
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _env(folder: Path) -> dict:
    env = {**os.environ, "HALL_VAR_DIR": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("HALL_SITE", None)
    return env


def _demo_until_stopped(folder: Path, port: int, signum: int) -> dict:
    """`hall demo --port PORT` until it offers Ctrl-C, then `signum`: what it printed up to
    then (`ready`) and after (`rest`), its exit status and which of its ports still answer."""
    demo = subprocess.Popen(
        [HALL, "demo", "--port", str(port)],
        cwd=REPO_ROOT,
        env=_env(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = []
    for line in demo.stdout:
        ready.append(line)
        if "Ctrl-C" in line:
            break
    demo.send_signal(signum)
    rest = demo.communicate(timeout=180)[0]  # SIGTERM, then SIGKILL after 10 s
    answering = []
    for offset in range(7):  # every hall's port is free again: its server is gone
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port + offset)) == 0:
                answering.append(port + offset)
    return {
        "ready": "".join(ready),
        "rest": rest,
        "returncode": demo.returncode,
        "answering": answering,
    }


@pytest.fixture(scope="session")
def demo_var(tmp_path_factory):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # HALL_VAR_DIR is <run>/gwN (test settings)
        folder = Path(os.environ["HALL_VAR_DIR"]).parent / "demo"
        folder.mkdir(exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="session")
def first_run(demo_var):
    """`hall demo` from empty databases, stopped with Ctrl-C: run once for the whole run."""
    saved = demo_var / "first-run.json"
    with _locked(demo_var):
        if not saved.exists():
            saved.write_text(json.dumps(_demo_until_stopped(demo_var, FIRST_PORT, signal.SIGINT)))
        return json.loads(saved.read_text())


@pytest.fixture
def demo_lock(demo_var):
    with _locked(demo_var):
        yield


def test_the_demo_starts_every_hall_and_stops_cleanly(demo_var, first_run, demo_lock):
    tmp_path = demo_var
    env = _env(tmp_path)
    output = first_run["ready"] + first_run["rest"]
    assert first_run["returncode"] == 0, output
    for code in ["county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe"]:
        assert code in output
        assert (tmp_path / f"{code}.sqlite3").exists()
    assert "http://127.0.0.1:18600/" in output
    assert "已停止" in output
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
    assert "t-maan-clerk" in output
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
    if signum == signal.SIGINT:  # the first run, stopped with Ctrl-C
        port, run = FIRST_PORT, first_run
    else:  # a second `./hall demo` on the same databases
        port = 18720
        run = _demo_until_stopped(demo_var, port, signum)
    assert f"http://127.0.0.1:{port + 6}/" in run["ready"], run["ready"]
    assert run["returncode"] == 0, run["rest"]
    assert "已停止" in run["rest"]
    assert run["answering"] == []  # every hall's port is free again: its server is gone

"""The embedded demo: every hall of the site tree as its own processes and database."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sites.registry.tree import SiteSpec, load_tree
from sync.keys import key_ensure

FIRST_PORT = 8000
HALL_BIN = str(Path(sys.executable).parent / "hall")


@dataclass
class NodePlan:
    spec: SiteSpec
    port: int
    commands: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def node_commands(spec: SiteSpec, port: int) -> list[tuple[str, list[str]]]:
    """The processes one hall runs in the demo: (name, argv)."""
    # Every hall of the demo is one process (`hall station`, ADR 0012): web thread, relay,
    # consumer and beat's periodic polls. Production runs them as separate units (deploy/systemd).
    argv = [HALL_BIN, "--site", spec.code, "station", "--port", str(port), "--demo-accounts"]
    if spec.tier == "county":
        argv += ["--sample"]
    return [("station", argv)]


def demo_plan(first_port: int = FIRST_PORT) -> list[NodePlan]:
    plans = []
    for offset, spec in enumerate(load_tree().values()):
        port = first_port + offset
        plans.append(NodePlan(spec, port, node_commands(spec, port)))
    return plans


class Supervisor:
    """Starts the processes, reports readiness, stops them all on Ctrl-C."""

    def __init__(self, var: Path, env: dict) -> None:
        self.var, self.env = var, env
        self.logs = var / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed with the child
        proc = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self.children.append((name, proc))

    def failed(self) -> list[str]:
        return [name for name, proc in self.children if proc.poll() not in (None, 0)]

    def stop(self, timeout: float = 10.0) -> list[str]:
        """SIGTERM every child, SIGKILL what is left after `timeout`; never blocks for good.
        Returns the names of children that had not exited even after SIGKILL (reported)."""
        for _, proc in self.children:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for _, proc in self.children:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        stuck = []
        for name, proc in self.children:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                stuck.append(f"{name} (pid {proc.pid})")
        return stuck


def wait_ready(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.5)
    return False


def fresh_start(var: Path) -> None:
    for path in [*list(var.glob("*.sqlite3*")), var / "broker", var / "logs"]:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def demo_keys_ensure(var: Path) -> list[str]:
    """Every hall's signing key, made before any hall starts (ADR 0012): private keys in
    var/keys/<site>/, public keys pinned in var/trust/, which the county enrols at start."""
    for code in load_tree():
        key_ensure(site=code, path=var / "keys" / code / "sync.key", trust_dir=var / "trust")
    return list(load_tree())

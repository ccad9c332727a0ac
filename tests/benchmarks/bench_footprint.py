"""`hall bench footprint`: the demo's resident memory per hall (ADR 0012).

Starts `hall demo` on a fresh var folder, waits until every hall answers and a little more
(consumers have asked for and applied their first release), then sums over every process of
each hall: RSS (what the issue's target counts; pages shared by a forked gunicorn worker
are counted in each process) and PSS (shared pages split between the processes sharing
them: what the machine really spends). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from deploy.env import REPO_ROOT

HALL = str(Path(sys.executable).parent / "hall")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _site(pid: int) -> str | None:
    """The hall of a process: `--site CODE` on its command line, else HALL_SITE in the
    environment it was started with (gunicorn is exec'd with it; its workers inherit it)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"--site" in argv:
            return argv[argv.index(b"--site") + 1].decode()
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if item.startswith(b"HALL_SITE="):
                return item.split(b"=", 1)[1].decode()
    except (OSError, IndexError):
        return None
    return None


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            rss = next((int(ln.split()[1]) for ln in f if ln.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/smaps_rollup") as f:
            pss = next((int(ln.split()[1]) for ln in f if ln.startswith("Pss:")), 0)
    except OSError:
        pass
    return rss, pss


def measure(root_pid: int) -> dict[str, dict]:
    halls: dict[str, dict] = {}
    for pid in _descendants(root_pid):
        site = _site(pid)
        rss, pss = _memory_kb(pid)
        if site is None or rss == 0:
            continue
        hall = halls.setdefault(site, {"processes": 0, "rss_mb": 0.0, "pss_mb": 0.0})
        hall["processes"] += 1
        hall["rss_mb"] += rss / 1024
        hall["pss_mb"] += pss / 1024
    return halls


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="hall bench footprint")
    parser.add_argument("--port", type=int, default=18700)
    parser.add_argument("--settle", type=float, default=30, help="seconds after all answer")
    args = parser.parse_args(argv)
    var = Path(tempfile.mkdtemp(prefix="bench-footprint-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALL_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["HALL_VAR_DIR"] = str(var)
    log = open(var / "demo.out", "w+")  # noqa: SIM115 - read back below
    demo = subprocess.Popen(
        [HALL, "demo", "--port", str(args.port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 600
        while "Ctrl-C" not in (var / "demo.out").read_text(errors="replace"):
            if demo.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("demo did not start:\n" + (var / "demo.out").read_text())
            time.sleep(1)
        time.sleep(args.settle)
        halls = measure(demo.pid)
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(demo.pid, signal.SIGKILL)
    print(f"{'hall':<12} {'processes':>9} {'RSS MB':>8} {'PSS MB':>8}")
    for site, hall in halls.items():
        print(f"{site:<12} {hall['processes']:>9} {hall['rss_mb']:>8.0f} {hall['pss_mb']:>8.0f}")
    total = {
        "processes": sum(h["processes"] for h in halls.values()),
        "rss_mb": round(sum(h["rss_mb"] for h in halls.values())),
        "pss_mb": round(sum(h["pss_mb"] for h in halls.values())),
    }
    print(f"{'total':<12} {total['processes']:>9} {total['rss_mb']:>8} {total['pss_mb']:>8}")
    rounded = {
        site: {k: round(v) if isinstance(v, float) else v for k, v in h.items()}
        for site, h in halls.items()
    }
    print(json.dumps({"halls": rounded, "total": total}))

"""`hall test`: the project's standing checks, then the test suite.

hall test            lint, format, migrations, schema drift, import contracts, pytest on SQLite
                     + filesystem (every test, on all cores: pytest-xdist)
hall test --real     on PostgreSQL and RabbitMQ on 127.0.0.1 (HALL_TEST_DATABASE_URL,
                     HALL_TEST_BROKER_URL): the tests marked `real` (PostgreSQL or RabbitMQ
                     behaviour, multi-node; tests/conftest.py, ADR 0019)
hall test --fast     the inner loop: ruff, then pytest without the multi-node and browser
                     tests, the last run's failures first
hall test -- ARGS    extra pytest arguments (after --)

HALL_TEST_WORKERS=N  pytest worker processes (default: the number of cores, at least 2;
                     1 runs in one process)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deploy.env import REPO_ROOT
from deploy.schemas import SCHEMAS

REAL_DATABASE = "postgres://postgres@127.0.0.1:5432/halls"
REAL_BROKER = "amqp://guest:guest@127.0.0.1:5672//"
BIN = Path(sys.executable).parent


def _run(title: str, cmd: list[str], env: dict | None = None) -> bool:
    print(f"\n== {title}: {' '.join(cmd)}", flush=True)
    return subprocess.call(cmd, cwd=REPO_ROOT, env=env) == 0


def _check(title: str, cmd: list[str], env: dict | None = None) -> tuple[bool, str]:
    """A standing check with its output captured (the checks run side by side)."""
    done = subprocess.run(cmd, cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    return done.returncode == 0, f"\n== {title}: {' '.join(cmd)}\n{done.stdout}{done.stderr}"


def _manage(*args: str) -> list[str]:
    return [str(BIN / "hall"), *args]


def schema_drift(env: dict) -> bool:
    """The committed schemas must equal the generated ones (regenerate: hall schema)."""
    ok, text = _schema_drift(env)
    print(text, end="", flush=True)
    return ok


def _schema_drift(env: dict) -> tuple[bool, str]:
    lines = ["\n== committed schemas match the generated ones\n"]
    ok = True
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor() as pool:
        made = {
            name: pool.submit(
                _check,
                name,
                _manage("schema", "--only", name, "--out", str(Path(tmp) / committed.name)),
                env,
            )
            for name, committed in SCHEMAS.items()
        }
        for name, committed in SCHEMAS.items():
            generated, text = made[name].result()
            lines.append(text.split("\n", 2)[2])  # the command's output, not its title
            if not generated:
                return False, "".join(lines)
            out = Path(tmp) / committed.name
            if not committed.exists() or committed.read_text() != out.read_text():
                lines.append(
                    f"schema drift: {committed.relative_to(REPO_ROOT)} differs from the "
                    "generated schema; run `./hall schema` and commit the result\n"
                )
                ok = False
    return ok, "".join(lines)


def browser_up() -> None:
    """Browser tests need Debian's Chromium; as root we install it, otherwise they skip."""
    if not Path("/usr/bin/chromium").exists() and os.geteuid() == 0:
        subprocess.call(["bash", str(REPO_ROOT / "deploy" / "browser-up.sh")])


def _workers() -> list[str]:
    """pytest-xdist across the cores; the demo's tests share one worker (its ports)."""
    count = int(os.environ.get("HALL_TEST_WORKERS") or max(2, os.cpu_count() or 1))
    return ["-n", str(count), "--dist", "loadgroup"] if count > 1 else []


def run_all(argv: list[str]) -> int:
    own = argv[: argv.index("--")] if "--" in argv else argv
    real, fast = "--real" in own, "--fast" in own
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    selection = []
    if real:
        selection = ["-m", "real"]
    elif fast:
        selection = ["-m", "not multinode and not browser", "--failed-first"]
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="deploy.settings.test")
    env.setdefault("HALL_VAR_DIR", tempfile.mkdtemp(prefix="hall-test-"))
    if real:
        env["HALL_TEST_DATABASE_URL"] = env.get("HALL_TEST_DATABASE_URL") or REAL_DATABASE
        env["HALL_TEST_BROKER_URL"] = env.get("HALL_TEST_BROKER_URL") or REAL_BROKER
    ruff = ("ruff lint", [str(BIN / "ruff"), "check", "."])
    steps = []
    if fast:
        steps = [("ruff lint", lambda: _check(*ruff))]
    elif not real:
        steps = [
            ("ruff lint", lambda: _check(*ruff)),
            (
                "ruff format",
                lambda: _check("ruff format", [str(BIN / "ruff"), "format", "--check", "."]),
            ),
            (
                "migrations",
                lambda: _check(
                    "migrations committed", _manage("makemigrations", "--check", "--dry-run"), env
                ),
            ),
            ("schemas", lambda: _schema_drift(env)),
            # [tool.importlinter] in pyproject.toml: sync/ knows no domain, and so on.
            (
                "import contracts",
                lambda: _check("import contracts", [str(BIN / "lint-imports"), "--no-cache"]),
            ),
        ]
    # Side by side (each a process of its own, seconds each), reported in this order.
    with ThreadPoolExecutor(max_workers=len(steps) or 1) as pool:
        results = list(pool.map(lambda step: step[1](), steps))
    failed = []
    for (name, _), (ok, text) in zip(steps, results, strict=True):
        print(text, end="", flush=True)
        if not ok:
            failed.append(name)
    if not fast:
        browser_up()
    label = "PostgreSQL + RabbitMQ" if real else "SQLite + filesystem transport"
    cmd = [str(BIN / "pytest"), *_workers(), *selection, *pytest_args]
    if not _run(f"pytest on {label}", cmd, env):
        failed.append("pytest")
    if failed:
        print(f"\nhall test: FAILED: {', '.join(failed)}")
        return 1
    print("\nhall test: all checks passed")
    return 0

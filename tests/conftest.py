"""Shared fixtures live in tests/support/fixtures.py (tree, halls, at_site, township, village,
hall_keys); this file registers them for every folder, marks what `hall test --real` runs
and orders the run (ADR 0019)."""

import json
from pathlib import Path

import pytest

pytest_plugins = ["tests.support.fixtures"]

HERE = Path(__file__).parent
# Folders whose every test is about the database or the broker themselves: the sync engine
# (outbox, inbox, transports, poison handling) and the read model's bulk upserts.
REAL_FOLDERS = [HERE / "sync", HERE / "readmodel"]
REAL_WORDS = ("PostgreSQL", "RabbitMQ", "--real")
TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences"}
# Each test's last duration (setup + call + teardown), kept in the pytest cache: the long
# ones are started first, longest first, so that no long test starts last and leaves the
# other worker idle (the run ends with the busiest worker).
DURATIONS = "hall/durations"
# The same for a fresh clone (CI): the long tests' durations measured on the lead's machine,
# seconds (only their order matters). Refresh after a full run: `hall test -- --durations=0`
# and keep the tests over LONG seconds, or copy .pytest_cache/v/hall/durations filtered.
MEASURED = HERE / "support" / "durations.json"
LONG = 2.0  # seconds: tests this long are ordered by duration; the rest keep their order


def _real(item) -> bool:
    """Does this test exercise PostgreSQL or RabbitMQ behaviour (what `--real` runs)?"""
    if item.get_closest_marker("real") or item.get_closest_marker("multinode"):
        return True
    path = Path(str(item.fspath))
    if HERE / "browser" in path.parents:  # pages through Chromium: SQLite shows them as well
        return False
    if any(folder in path.parents for folder in REAL_FOLDERS):
        return True
    for mark in item.iter_markers("skipif"):  # "needs PostgreSQL (--real)" and the like
        if any(word in str(mark.kwargs.get("reason", "")) for word in REAL_WORDS):
            return True
    db = item.get_closest_marker("django_db")
    if db and db.kwargs.get("transaction"):  # real commits: locking and visibility
        return True
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ())))


def _expected(item, known: dict) -> float:
    """The test's last duration; a guess for a test that has not run here yet."""
    if item.nodeid in known:
        return known[item.nodeid]
    if item.get_closest_marker("multinode"):
        return 15.0
    if item.get_closest_marker("browser") or item.get_closest_marker("slow"):
        return LONG
    return 0.0


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _real(item):
            item.add_marker(pytest.mark.real)
    # The long tests first, longest first (every xdist worker reads the same cache, so all
    # collect the same order); the others after them in their usual order.
    cache = getattr(config, "cache", None)
    known = json.loads(MEASURED.read_text()) if MEASURED.exists() else {}
    known.update(cache.get(DURATIONS, {}) if cache is not None else {})
    expected = {item.nodeid: _expected(item, known) for item in items}
    items.sort(key=lambda item: -expected[item.nodeid] if expected[item.nodeid] >= LONG else 0)


_durations: dict[str, float] = {}
_busy: dict[str, float] = {}  # xdist worker -> seconds spent in its tests


def pytest_runtest_logreport(report):
    """Each test's duration (in the xdist controller: every worker's reports come there)."""
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration
    worker = getattr(getattr(report, "node", None), "gateway", None)
    if worker is not None:
        _busy[worker.id] = _busy.get(worker.id, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """The run ends with its busiest worker: how the work was shared (ADR 0019)."""
    if _busy:
        shares = ", ".join(f"{worker} {seconds:.1f} s" for worker, seconds in sorted(_busy.items()))
        terminalreporter.write_line(f"time in tests per worker: {shares}")


def pytest_sessionfinish(session):
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _durations:
        return  # a worker: the controller writes
    cache.set(DURATIONS, {**cache.get(DURATIONS, {}), **_durations})

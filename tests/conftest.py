"""Shared fixtures live in tests/support/fixtures.py (tree, halls, at_site, township, village,
hall_keys); this file registers them for every folder, marks what `hall test --real` runs
and orders the run (ADR 0019)."""

from pathlib import Path

import pytest

pytest_plugins = ["tests.support.fixtures"]

HERE = Path(__file__).parent
# Folders whose every test is about the database or the broker themselves: the sync engine
# (outbox, inbox, transports, poison handling) and the read model's bulk upserts.
REAL_FOLDERS = [HERE / "sync", HERE / "readmodel"]
REAL_WORDS = ("PostgreSQL", "RabbitMQ", "--real")
TRANSACTIONAL = {"transactional_db", "live_server", "django_db_reset_sequences"}


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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _real(item):
            item.add_marker(pytest.mark.real)
    # Tests that start node processes first: with two workers the long ones do not end up
    # alone at the tail of the run.
    items.sort(key=lambda item: item.get_closest_marker("multinode") is None)

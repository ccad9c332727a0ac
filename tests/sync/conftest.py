"""Fixtures of the multi-node sync tests."""

import pytest

from tests.support.nodes import Cluster

TEST_TABLES = ("test_applied", "test_owned", "test_notes")  # tests.support.appliers


@pytest.fixture(autouse=True)
def _test_tables_emptied_after_commits(request, django_db_blocker):
    """The test appliers' tables are no Django models: the flush after a transactional test
    leaves their rows, which a later test on the same worker would see (the order of the
    tests is by duration, ADR 0019). Emptied after each transactional test."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")) and (
        "transactional_db" not in request.fixturenames
    ):
        return
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cur:
        present = set(connection.introspection.table_names(cur))
        for table in TEST_TABLES:
            if table in present:
                cur.execute(f"DELETE FROM {table}")


@pytest.fixture
def cluster(tmp_path, settings):
    with Cluster(tmp_path) as c:
        yield c


def applied(node, aggregate: str | None = None) -> list[tuple]:
    """(aggregate, seq) rows the test applier recorded at `node`, in apply order."""
    where, params = ("WHERE aggregate = ?", (aggregate,)) if aggregate else ("", ())
    return node.sql(f"SELECT aggregate, seq FROM test_applied {where} ORDER BY id", params)


def assert_exactly_once_in_order(node, aggregates: list[str], per_aggregate: int) -> None:
    rows = applied(node)
    for agg in aggregates:
        seqs = [seq for a, seq in rows if a == agg]
        assert seqs == list(range(1, per_aggregate + 1)), (agg, seqs[:20], len(seqs))
    assert len(rows) == len(aggregates) * per_aggregate


def call(node, expression: str):
    """Evaluate `expression` in the node with the test helpers imported; JSON result."""
    return node.python(
        "from tests.support.appliers import *  # noqa: F403\n"
        "from sync.api import owner_of  # noqa: F401\n"
        f"result = {expression}"
    )

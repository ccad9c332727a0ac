"""Fixtures of the multi-node sync tests."""

import pytest

from tests.support.nodes import Cluster


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

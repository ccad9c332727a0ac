"""The inbox's batch path, in this process on the test database (the county): a batch is one
transaction, a batch-capable applier gets runs of envelopes, and a poisoned message in the
middle of a batch is quarantined alone while the others are applied exactly once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sync.inbox import inbox_apply
from sync.models import AggregateState, InboxMessage, OutboxMessage, QuarantinedMessage
from tests.support import appliers  # registers test.case.event and its batch form
from tests.support.inject import envelope_dict, signed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tables():
    appliers.ensure_tables()


def _event(agg: str, seq: int, n=None) -> bytes:
    data = envelope_dict(
        origin="v-shiqiao",
        dest="county",
        type=appliers.EVENT,
        aggregate=agg,
        seq=seq,
        payload={"n": seq if n is None else n},
    )
    return signed(data).encode()


def _applied() -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate, seq FROM test_applied ORDER BY id")
        return list(cur.fetchall())


def _inserts(ctx) -> int:
    return sum("INSERT INTO test_applied" in q["sql"] for q in ctx.captured_queries)


def test_a_clean_batch_uses_the_batch_form_once():
    bodies = [_event(agg, seq) for seq in (1, 2, 3) for agg in ("A", "B", "C")]
    with CaptureQueriesContext(connection) as ctx:
        result = inbox_apply(bodies=bodies)
    assert result.as_dict() == {"applied": 9, "duplicate": 0, "held": 0, "quarantined": 0}
    assert _inserts(ctx) == 1  # one run of nine envelopes, not nine INSERTs
    assert sorted(_applied()) == sorted((a, s) for s in (1, 2, 3) for a in "ABC")
    assert {(s.key, s.seq) for s in AggregateState.objects.all()} == {("A", 3), ("B", 3), ("C", 3)}


def test_a_poisoned_message_mid_batch_is_quarantined_alone():
    # B/2 is signed and well-formed but its handler refuses it (n is not an integer)
    bodies = [
        _event(agg, seq, n="bad" if (agg, seq) == ("B", 2) else None)
        for seq in (1, 2, 3)
        for agg in ("A", "B", "C")
    ]
    result = inbox_apply(bodies=bodies)

    # Every good message applied exactly once; B/3 waits behind the refused B/2 (a gap is
    # held, never skipped); the bad one is quarantined with the handler's reason
    assert result.as_dict() == {"applied": 7, "duplicate": 0, "held": 1, "quarantined": 1}
    rows = _applied()
    assert len(rows) == len(set(rows)) == 7
    assert [s for a, s in rows if a == "A"] == [1, 2, 3]
    assert [s for a, s in rows if a == "C"] == [1, 2, 3]
    assert [s for a, s in rows if a == "B"] == [1]
    (q,) = QuarantinedMessage.objects.all()
    assert q.reason == "test event without n" and q.type == appliers.EVENT
    assert AggregateState.objects.get(key="B").seq == 1
    assert InboxMessage.objects.count() == 7

    # Redelivery of the whole batch (consumer killed before its acks) changes nothing
    again = inbox_apply(bodies=bodies)
    assert again.applied == 0 and len(_applied()) == 7

    # The owner's corrected B/2 fills the gap and releases the held B/3, in order
    inbox_apply(bodies=[_event("B", 2)])
    assert [s for a, s in _applied() if a == "B"] == [1, 2, 3]


def test_outbox_put_many_continues_each_chain_in_order():
    from django.db import transaction

    from sync.api import NotOwner, Outgoing, outbox_put, outbox_put_many

    with transaction.atomic():
        outbox_put(type=appliers.EVENT, aggregate="K-1", payload={"n": 0}, dest="v-shiqiao")
        envs = outbox_put_many(
            [
                Outgoing(type=appliers.EVENT, aggregate="K-1", payload={"n": 1}, dest="t-maan"),
                Outgoing(type=appliers.EVENT, aggregate="K-2", payload={"n": 2}, dest="t-maan"),
                Outgoing(type=appliers.EVENT, aggregate="K-1", payload={"n": 3}, dest="v-shiqiao"),
            ]
        )
    assert [(e.aggregate, e.seq, e.prev) for e in envs] == [
        ("K-1", 2, 0),
        ("K-2", 1, 0),
        ("K-1", 3, 1),
    ]
    assert list(OutboxMessage.objects.order_by("id").values_list("aggregate", "seq")) == [
        ("K-1", 1),
        ("K-1", 2),
        ("K-2", 1),
        ("K-1", 3),
    ]
    assert AggregateState.objects.get(key="K-1").seen == {"county": 3, "v-shiqiao": 3, "t-maan": 2}

    AggregateState.objects.filter(key="K-2").update(owner="t-maan")
    with pytest.raises(NotOwner), transaction.atomic():
        outbox_put_many(
            [
                Outgoing(type=appliers.EVENT, aggregate="K-1", payload={"n": 4}, dest="t-maan"),
                Outgoing(type=appliers.EVENT, aggregate="K-2", payload={"n": 5}, dest="t-maan"),
            ]
        )
    assert AggregateState.objects.get(key="K-1").seq == 3  # nothing of the refused write
    assert OutboxMessage.objects.count() == 4


def test_this_sites_own_message_echoed_back_is_dropped_not_quarantined():
    # The county hands a case back to a township: the "*.agg.#" binding brings the county's
    # own transfer message back to the county's queue.
    own = signed(
        envelope_dict(
            origin="county",
            dest="t-maan",
            type=appliers.EVENT,
            aggregate="E",
            seq=1,
            payload={"n": 1},
        )
    ).encode()
    result = inbox_apply(bodies=[own])
    assert result.as_dict() == {"applied": 0, "duplicate": 1, "held": 0, "quarantined": 0}
    assert not QuarantinedMessage.objects.exists()
    assert _applied() == []

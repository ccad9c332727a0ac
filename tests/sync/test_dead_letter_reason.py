"""Issue 25: anything dead-lettered is recorded with a reason. A body the consumer dies with
on every delivery (a node error no savepoint catches) reaches the broker's delivery limit;
before its last delivery is tried, the consumer commits a quarantine row saying so, so the
dead letter has its row, counted in the sync status. On RabbitMQ (quorum queues,
x-delivery-count) with HALL_TEST_BROKER_URL, and on the filesystem transport."""

import os
import uuid

import pytest
from django.db import connection
from django.test import Client

from sync import consumer as consumer_module
from sync.consumer import Consumer
from sync.models import QuarantinedMessage
from sync.selectors import sync_status
from sync.transport import connect, dead_queue, exchange, topology_declare
from tests.support import appliers
from tests.support.poison import good_event

BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")
LIMIT = 3


class NodeCrash(BaseException):
    """What the node dies of while applying (stands for a kill or a lost process)."""


def _crash(**kwargs):
    raise NodeCrash("node error")


@pytest.fixture(params=["filesystem", "amqp"])
def broker(request, settings, tmp_path):
    if request.param == "amqp":
        if not BROKER.startswith("amqp"):
            pytest.skip("needs RabbitMQ (HALL_TEST_BROKER_URL)")
        settings.HALL_BROKER_URL = BROKER
    else:
        settings.HALL_BROKER_URL = "filesystem://"
        settings.HALL_BROKER_FOLDER = str(tmp_path)
    settings.HALL_SITE = "county"
    settings.HALL_SYNC_NAMESPACE = f"t{uuid.uuid4().hex[:8]}"  # fresh queues, with LIMIT
    settings.HALL_SYNC_DELIVERY_LIMIT = LIMIT
    appliers.ensure_tables()
    with connect() as conn:
        topology_declare(conn)
    yield request.param
    if request.param == "amqp":
        with connect() as conn:
            ch = conn.default_channel
            for queue in (f"{settings.HALL_SYNC_NAMESPACE}.{c}" for c in _sites()):
                ch.queue_delete(queue)
            ch.queue_delete(f"{settings.HALL_SYNC_NAMESPACE}.dead")
            ch.exchange_delete(settings.HALL_SYNC_NAMESPACE)
            ch.exchange_delete(f"{settings.HALL_SYNC_NAMESPACE}.dlx")


def _sites():
    from sync.transport import site_codes

    return site_codes()


def _publish(body: bytes) -> None:
    with connect() as conn:
        conn.Producer().publish(
            body.decode(),
            exchange=exchange(),
            routing_key="county.v-shiqiao.agg.test.case.event",
            serializer=None,
            content_type="application/json",
            content_encoding="utf-8",
        )


def _deliver(monkeypatch, *, crash: bool) -> dict | None:
    """One consumer's life: take what comes, then die applying it (crash) or finish."""
    consumer = Consumer(batch=10)
    try:
        consumer.drain(linger=3)
        if not consumer.pending:
            return None
        if not crash:
            return consumer.flush()
        with monkeypatch.context() as m:
            m.setattr(consumer_module, "inbox_apply", _crash)
            with pytest.raises(NodeCrash):
                consumer.flush()
        return {}
    finally:
        consumer.close()


def _dead_letters() -> int:
    with connect() as conn:
        return (
            dead_queue(amqp=conn.transport.driver_type == "amqp")(conn.default_channel)
            .queue_declare(passive=True)
            .message_count
        )


def _applied(aggregate: str) -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate FROM test_applied WHERE aggregate = %s", [aggregate])
        return [a for (a,) in cur.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_a_body_the_node_dies_with_every_time_is_dead_lettered_with_a_reason(broker, monkeypatch):
    body, agg = good_event(1)
    _publish(body)

    # Given a consumer that dies with it on every delivery, until the broker gives up
    deliveries = 0
    while _deliver(monkeypatch, crash=True) is not None:
        deliveries += 1
        assert deliveries <= LIMIT + 2, "the broker never dead-lettered it"

    # Then it is dead-lettered, and the quarantine has its row with the reason
    assert deliveries >= LIMIT
    assert _dead_letters() == 1
    (row,) = QuarantinedMessage.objects.all()
    assert row.reason.startswith("delivery limit: delivery "), row.reason
    assert f"of at most {LIMIT}, never finished" in row.reason
    assert bytes(row.body) == body and row.origin == "v-shiqiao"
    assert sync_status()["quarantined"] == 1
    assert Client().get("/healthz/").json()["quarantined"] == 1
    assert _applied(agg) == []


@pytest.mark.django_db(transaction=True)
def test_a_body_that_applies_on_its_last_delivery_leaves_no_row(broker, monkeypatch):
    body, agg = good_event(2)
    _publish(body)
    # Given a node that died with it on all but its last delivery
    for _ in range(LIMIT - 1):
        assert _deliver(monkeypatch, crash=True) == {}

    # When the last delivery applies, then the note is gone and nothing is dead-lettered
    assert _deliver(monkeypatch, crash=False) == {
        "applied": 1,
        "duplicate": 0,
        "held": 0,
        "quarantined": 0,
    }
    assert _applied(agg) == [agg]  # once
    assert not QuarantinedMessage.objects.exists()
    assert _deliver(monkeypatch, crash=False) is None
    assert _dead_letters() == 0


@pytest.mark.django_db(transaction=True)
def test_a_body_refused_on_its_last_delivery_keeps_the_inboxs_reason(broker, monkeypatch):
    body, _ = good_event(3)
    bad = body.replace(b'"seq": 1', b'"seq": 2')  # no longer what was signed
    assert bad != body
    _publish(bad)
    for _ in range(LIMIT - 1):
        assert _deliver(monkeypatch, crash=True) == {}

    assert _deliver(monkeypatch, crash=False)["quarantined"] == 1
    (row,) = QuarantinedMessage.objects.all()
    assert row.reason == "bad signature"  # the inbox's reason, not the note's
    assert _dead_letters() == 1

"""Per-hall broker accounts on the real RabbitMQ (`hall broker-provision`, ADR 0012): a
village's credentials read only its own queue, publish only with its own origin in the
routing key and its own user_id, and configure nothing. A vhost and users of the test's own
(prefixed) are created and removed; nothing else on the shared broker is touched."""

import os
import shutil
import time
import uuid

import amqp
import pytest
from amqp import Message
from django.db import connection
from django.test import override_settings

from sync.consumer import Consumer
from sync.models import QuarantinedMessage
from sync.provision import RabbitmqCtl, broker_provision, hall_url
from sync.relay import Publisher
from sync.transport import connect, topology_declare
from tests.support import appliers
from tests.support.poison import good_event

BROKER = os.environ.get("HALL_TEST_BROKER_URL", "")
pytestmark = [
    pytest.mark.multinode,
    pytest.mark.skipif(not BROKER.startswith("amqp"), reason="needs RabbitMQ (hall test --real)"),
    pytest.mark.skipif(shutil.which("rabbitmqctl") is None, reason="needs rabbitmqctl"),
]


SITES = ["county", "t-maan", "v-shiqiao"]  # rabbitmqctl takes a second or two per call


@pytest.fixture(scope="module")
def accounts():
    ns = f"t{uuid.uuid4().hex[:8]}"
    vhost, prefix = f"{ns}-halls", f"{ns}-"
    ctl = RabbitmqCtl()
    admin = amqp_parts(BROKER)
    # the halls only use what the county declared
    overrides = override_settings(HALL_SYNC_NAMESPACE=ns, HALL_SYNC_DECLARE=False)
    overrides.enable()
    try:
        urls = broker_provision(
            admin=ctl,
            vhost=vhost,
            prefix=prefix,
            broker=BROKER,
            admin_user=admin["userid"],
            sites=SITES,
        )
        admin_url = hall_url(
            broker=BROKER, user=admin["userid"], password=admin["password"], vhost=vhost
        )
        with connect(admin_url) as conn:
            topology_declare(conn, force=True)
        yield {"ns": ns, "urls": urls, "admin": admin_url}
    finally:
        overrides.disable()
        for site in SITES:
            ctl.delete_user(f"{prefix}{site}")
        ctl.delete_vhost(vhost)


def amqp_parts(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    p = urlsplit(url)
    return {
        "host": f"{p.hostname}:{p.port or 5672}",
        "userid": unquote(p.username or "guest"),
        "password": unquote(p.password or "guest"),
        "vhost": unquote(p.path[1:]) if len(p.path) > 1 else "/",
    }


def channel(url: str):
    parts = amqp_parts(url)
    conn = amqp.Connection(
        parts["host"],
        userid=parts["userid"],
        password=parts["password"],
        virtual_host=parts["vhost"],
    )
    conn.connect()
    return conn, conn.channel()


def refused(action) -> str:
    try:
        action()
    except (amqp.exceptions.AccessRefused, amqp.exceptions.PreconditionFailed) as exc:
        return type(exc).__name__
    return "allowed"


def test_a_village_account_reads_only_its_own_queue(accounts):
    ns, village = accounts["ns"], accounts["urls"]["v-shiqiao"]
    conn, ch = channel(village)
    try:
        assert ch.basic_get(f"{ns}.v-shiqiao") is None  # its own queue: allowed (empty)
        assert refused(lambda: ch.basic_get(f"{ns}.county")) == "AccessRefused"
    finally:
        conn.collect()
    conn, ch = channel(village)
    try:  # nor may it configure: no deleting or re-declaring the county's queue
        assert refused(lambda: ch.queue_delete(f"{ns}.county")) == "AccessRefused"
    finally:
        conn.collect()


def test_a_village_account_publishes_only_as_itself(accounts):
    ns, urls = accounts["ns"], accounts["urls"]
    village_user = amqp_parts(urls["v-shiqiao"])["userid"]
    township_user = amqp_parts(urls["t-maan"])["userid"]

    def publish(key: str, user_id: str):
        conn, ch = channel(urls["v-shiqiao"])
        try:
            ch.confirm_select()
            ch.basic_publish_confirm(Message(b"{}", user_id=user_id), exchange=ns, routing_key=key)
        finally:
            conn.collect()

    # Another origin's routing key: refused by the topic permission
    assert refused(lambda: publish("county.t-maan.agg.test.case.event", village_user)) == (
        "AccessRefused"
    )
    # Its own routing key with another account's user_id: refused by the broker
    assert refused(lambda: publish("county.v-shiqiao.agg.test.case.event", township_user)) == (
        "PreconditionFailed"
    )
    # The relay's publisher with the village's own URL: confirmed, and it reached the county
    publisher = Publisher(urls["v-shiqiao"])
    try:
        publisher.publish_batch([("county.v-shiqiao.agg.test.case.event", '{"n": 1}')])
    finally:
        publisher.close()
    conn, ch = channel(accounts["admin"])
    try:
        got = ch.basic_get(f"{ns}.county", no_ack=True)
        assert got is not None and got.body in (b'{"n": 1}', '{"n": 1}')
        assert got.properties["user_id"] == village_user
    finally:
        conn.collect()


def _publish(url: str, exchange: str, key: str, body: bytes, *, user_id: str | None) -> None:
    conn, ch = channel(url)
    try:
        ch.confirm_select()
        props = {"user_id": user_id} if user_id else {}
        ch.basic_publish_confirm(Message(body, **props), exchange=exchange, routing_key=key)
    finally:
        conn.collect()


@pytest.mark.django_db(transaction=True)
def test_the_consumer_quarantines_what_its_origins_account_did_not_publish(accounts, settings):
    """Issue 25: with per-hall accounts the county's consumer refuses a validly signed
    message published without user_id, or by another hall's account."""
    ns, urls = accounts["ns"], accounts["urls"]
    settings.HALL_SITE = "county"
    settings.HALL_BROKER_URL = urls["county"]
    settings.HALL_SYNC_BROKER_ACCOUNTS = f"{ns}-"
    appliers.ensure_tables()
    village_user = amqp_parts(urls["v-shiqiao"])["userid"]
    township_user = amqp_parts(urls["t-maan"])["userid"]
    no_user, _ = good_event(1)
    others, _ = good_event(2)
    canary, canary_agg = good_event(3)
    key = "county.v-shiqiao.agg.test.case.event"
    # the village's own account, its own key, but no user_id
    _publish(urls["v-shiqiao"], ns, key, no_user, user_id=None)
    # the village's signed body, published by the township's account (its own routing key)
    _publish(urls["t-maan"], ns, "county.t-maan.agg.test.case.event", others, user_id=township_user)
    _publish(urls["v-shiqiao"], ns, key, canary, user_id=village_user)

    consumer = Consumer(batch=10)
    try:
        deadline = time.monotonic() + 10
        while len(consumer.pending) < 3 and time.monotonic() < deadline:
            consumer.drain(linger=1)
        assert consumer.flush() == {"applied": 1, "duplicate": 0, "held": 0, "quarantined": 2}
    finally:
        consumer.close()

    assert sorted(QuarantinedMessage.objects.values_list("reason", flat=True)) == [
        "broker account: no user_id",
        f"broker account: {township_user} is not {village_user}",
    ]
    with connection.cursor() as cur:
        cur.execute("SELECT aggregate FROM test_applied")
        applied = [a for (a,) in cur.fetchall()]
        # test_applied is not a Django model: the transactional flush leaves it alone
        cur.execute("DELETE FROM test_applied WHERE aggregate = %s", [canary_agg])
    assert applied == [canary_agg]

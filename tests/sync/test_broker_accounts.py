"""Per-hall broker accounts on the real RabbitMQ (`hall broker-provision`, ADR 0012): a
village's credentials read only its own queue, publish only with its own origin in the
routing key and its own user_id, and configure nothing. A vhost and users of the test's own
(prefixed) are created and removed; nothing else on the shared broker is touched."""

import os
import shutil
import uuid

import amqp
import pytest
from amqp import Message
from django.test import override_settings

from sync.provision import RabbitmqCtl, broker_provision, hall_url
from sync.relay import Publisher
from sync.transport import connect, topology_declare

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

"""Multi-node faults: SIGKILL of relay and consumer mid-batch, a broker outage mid-stream,
and duplicates, reorders and bad messages injected straight into the broker."""

import json

import pytest

from tests.support.inject import envelope_dict, signed
from tests.sync.conftest import applied, assert_exactly_once_in_order, call

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

AGGS = [f"V-2026-{i:04d}" for i in range(1, 11)]


def _events(village, n: int) -> None:
    assert call(village, f"write_events(aggregates={AGGS!r}, per_aggregate={n})") == 10 * n


def test_relay_and_consumer_killed_mid_batch(tmp_path):
    from tests.support.nodes import Cluster

    with Cluster(tmp_path, extra_env={"HALL_SYNC_BATCH": "50"}) as cluster:
        county = cluster.node("county")
        village = cluster.node("v-shiqiao")
        _events(village, 200)  # 2,000 events queued
        county.start("consume")
        village.start("relay")

        # When the relay is killed (SIGKILL) mid-stream and restarted
        cluster.wait(lambda: len(applied(county)) >= 200, what="first events")
        village.kill("relay")
        village.start("relay")
        # And then the consumer too
        cluster.wait(lambda: len(applied(county)) >= 900, what="more events")
        county.kill("consume")
        county.start("consume")

        # Then every event is applied exactly once, in order
        cluster.wait(lambda: len(applied(county)) >= 2000, timeout=90, what="all events")
        assert_exactly_once_in_order(county, AGGS, 200)
        assert county.status()["quarantined"] == 0


def test_broker_outage_mid_stream(cluster):
    county = cluster.node("county")
    village = cluster.node("v-shiqiao")
    _events(village, 100)
    county.start("consume")
    village.start("relay")
    cluster.wait(lambda: len(applied(county)) >= 100, what="first events")

    # When the broker goes away for every node at once (RabbitMQ: all connections cut at
    # the proxy and refused; filesystem: the broker folder unreachable) and comes back
    for node in (county, village):
        node.link_down()
    call(village, f"write_events(aggregates={AGGS!r}, per_aggregate=20)")
    import time

    time.sleep(3)
    assert village.alive("relay") and county.alive("consume")
    for node in (county, village):
        node.link_up()

    cluster.wait(lambda: len(applied(county)) >= 1200, timeout=90, what="all events")
    assert_exactly_once_in_order(county, AGGS, 120)


def test_duplicates_reorders_and_bad_messages_injected(cluster):
    county = cluster.node("county")
    county.start("consume")
    key = "county.agg.test.case.event"
    agg = "V-2026-0500"

    def event(seq, origin="v-shiqiao", **kw):
        return envelope_dict(
            origin=origin,
            dest="county",
            type="test.case.event",
            aggregate=agg,
            seq=seq,
            payload={"n": seq},
            **kw,
        )

    first, second, third = event(1), event(2), event(3)
    good = [
        signed(third),  # reordered: 3 before 1 and 2
        signed(first),
        signed(second),
        signed(second),  # the same message delivered twice
        signed({**event(1), "id": envelope_dict(origin="x", dest="y", type="z")["id"]}),  # old seq
    ]
    tampered = json.loads(signed(event(9)))
    tampered["payload"]["n"] = 10
    bad = [
        signed(event(9), key=b"not-the-village-key"),  # forged
        json.dumps(tampered),  # changed after signing
        '{"id": "x", "type": ',  # unparsable
        json.dumps({**event(9), "sig": ""}),  # unsigned
        signed(envelope_dict(origin="v-nowhere", dest="county", type="x"), key=b"k"),
        signed(envelope_dict(origin="v-shiqiao", dest="county", type="test.no.such.type")),
        signed({**event(9), "payload": {"n": 1, "pad": "x" * 1_100_000}}),  # too big
    ]
    for body in good[:3] + bad + good[3:]:
        cluster.publish_raw(routing_key=key, body=body)
    cluster.wait(lambda: [s for _, s in applied(county)] == [1, 2, 3], what="chain 1..3")

    # A signed message from a site that does not own the case is refused ...
    cluster.publish_raw(routing_key=key, body=signed(event(4, origin="t-huangtan")))
    # ... and does not block the owner's next event
    cluster.publish_raw(routing_key=key, body=signed(event(4)))
    cluster.wait(lambda: [s for _, s in applied(county)] == [1, 2, 3, 4], what="seq 4")

    status = cluster.wait(
        lambda: (s := county.status())["quarantined"] == len(bad) + 1 and s, what="quarantine"
    )
    assert status["held_count"] == 0
    reasons = sorted(r for (r,) in county.sql("SELECT reason FROM sync_quarantinedmessage"))
    assert any(r.startswith("not owner") for r in reasons), reasons
    assert sum(r.startswith("bad signature") for r in reasons) == 2, reasons
    assert any(r == "unsigned" for r in reasons), reasons
    assert any(r.startswith("unparsable") for r in reasons), reasons
    assert any(r.startswith("too big") for r in reasons), reasons
    assert any(r.startswith("unknown origin") for r in reasons), reasons
    assert any(r.startswith("unknown type") for r in reasons), reasons
    cluster.wait(lambda: cluster.dead_letters() == len(bad) + 1, what="dead letters")
    # Nothing else was lost: the consumer is still running
    assert county.alive("consume")

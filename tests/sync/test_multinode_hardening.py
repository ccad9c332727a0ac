"""Issue 25 through a real broker (RabbitMQ with --real, else the filesystem transport) at
separate node processes (PostgreSQL with --real): a squatted number, values no column holds,
and a poison body in the same batch as genuine events, at the county and at a township."""

import time

import pytest

from tests.support.inject import envelope_dict, signed
from tests.support.poison import good_event
from tests.sync.conftest import applied

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

VILLAGE, TOWNSHIP = "v-shiqiao", "t-maan"
EVENT = "test.case.event"


def _quarantined(node) -> list[str]:
    return [r for (r,) in node.sql("SELECT reason FROM sync_quarantinedmessage")]


def _key(dest: str, origin: str = VILLAGE) -> str:
    return f"{dest}.{origin}.agg.{EVENT}"


def _event(origin: str, dest: str, aggregate: str, **fields) -> bytes:
    data = envelope_dict(origin=origin, dest=dest, type=EVENT, aggregate=aggregate, seq=1)
    return signed(data | fields | {"payload": {"n": 1}}).encode()


def test_a_squatted_number_is_quarantined_and_the_owners_real_case_applies(cluster):
    county = cluster.node("county")
    county.start("consume")
    number = "t-maan-20261207-0001"
    # Given the village's claim on the township's next number, then the township's real case
    cluster.publish_raw(routing_key=_key("county"), body=_event(VILLAGE, "county", number))
    cluster.publish_raw(
        routing_key=_key("county", TOWNSHIP), body=_event(TOWNSHIP, "county", number)
    )
    # Then the township's case applies and the claim is quarantined with the reason
    cluster.wait(lambda: applied(county, number) == [(number, 1)], what="the owner's case")
    assert _quarantined(county) == [f"not issuer: {number} is numbered by t-maan, not {VILLAGE}"]
    assert county.sql("SELECT owner FROM sync_aggregatestate WHERE key = ?", (number,)) == [
        (TOWNSHIP,)
    ]


@pytest.mark.parametrize("dest", ["county", TOWNSHIP])
def test_values_no_column_holds_are_quarantined_in_seconds_and_the_canary_applies(cluster, dest):
    node = cluster.node(dest)
    node.start("consume")
    cluster.wait(lambda: "consumer connected" in node.log("consume"), what="consumer up")
    agg = f"{VILLAGE}-20261207-0007"
    bodies = [
        _event(VILLAGE, dest, agg, seq=2**31 + 5, prev=2**31 + 4),
        _event(VILLAGE, dest, agg, seq=10**4299),  # 4,300 digits: json parses it
        _event(VILLAGE, dest, agg, seq=2, prev=10**4299),
    ]
    canary, canary_agg = good_event(1, dest=dest)
    started = time.monotonic()
    for body in [*bodies, canary]:
        cluster.publish_raw(routing_key=_key(dest), body=body)

    cluster.wait(lambda: applied(node, canary_agg), timeout=5, every=0.1, what="the canary")
    reasons = cluster.wait(lambda: len(r := _quarantined(node)) == 3 and r, timeout=5, every=0.1)
    assert time.monotonic() - started < 5
    assert all(r.startswith("out of range: seq") for r in reasons), reasons
    assert "retrying in" not in node.log("consume")  # it never crashed nor reconnected


@pytest.mark.parametrize("dest", ["county", TOWNSHIP])
def test_a_poison_body_and_five_genuine_events_in_one_batch(cluster, dest):
    node = cluster.node(dest)
    agg = f"{VILLAGE}-20261207-0008"
    poison = _event(VILLAGE, dest, agg, seq=2**31 + 5, prev=2**31 + 4)
    goods = [good_event(n, dest=dest) for n in range(5)]
    # all six wait in the queue before the consumer starts: it takes them as one batch
    for body in [poison, *(body for body, _ in goods)]:
        cluster.publish_raw(routing_key=_key(dest), body=body)
    node.start("consume")

    for _, good_agg in goods:
        cluster.wait(lambda a=good_agg: applied(node, a), what=f"genuine event {good_agg}")
    (reason,) = cluster.wait(lambda: _quarantined(node), what="the poison's quarantine row")
    assert reason.startswith("out of range: seq 2147483653"), reason
    cluster.wait(lambda: cluster.dead_letters() == 1, what="only the poison dead-lettered")
    assert "retrying in" not in node.log("consume")

"""Nothing stops a queue: poison bodies published raw into a real broker (RabbitMQ with
--real, else the filesystem transport) at a separate county node. Each is quarantined with
its reason, a good message sent after each is applied, and the consumer process is never
restarted nor even reconnects."""

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.inject import envelope_dict, signed
from tests.support.poison import POISON, good_event
from tests.sync.conftest import applied

pytestmark = [pytest.mark.multinode, pytest.mark.slow]

KEY = "county.agg.test.case.event"


def _quarantined(county) -> list[str]:
    return [r for (r,) in county.sql("SELECT reason FROM sync_quarantinedmessage")]


def _steady(county, pid: int) -> None:
    """The same consumer process, and once connected it never dropped its connection to
    retry (a first connection that waits for a busy broker is not a drop)."""
    proc = county.procs["consume"]
    assert proc.pid == pid and county.alive("consume")
    log = county.log("consume")
    assert "consumer connected" in log, log[-3000:]
    after = log.split("consumer connected", 1)[1]
    assert "retrying in" not in after, log[-3000:]


def test_every_poison_body_is_quarantined_and_the_queue_moves_on(cluster):
    county = cluster.node("county")
    pid = county.start("consume").pid
    wanted = []
    for n, name in enumerate(sorted(POISON), start=1):
        body, reason = POISON[name]()
        good, agg = good_event(n)
        cluster.publish_raw(routing_key=KEY, body=body)
        cluster.publish_raw(routing_key=KEY, body=good)
        wanted.append((name, reason, agg))

    for name, _, agg in wanted:
        cluster.wait(lambda agg=agg: applied(county, agg), what=f"good message after {name}")
    reasons = cluster.wait(
        lambda: len(r := _quarantined(county)) == len(POISON) and r, what="quarantine"
    )
    for name, reason, _ in wanted:
        assert sum(r.startswith(reason) for r in reasons) >= 1, (name, reasons)
    cluster.wait(lambda: cluster.dead_letters() == len(POISON), what="dead letters")
    _steady(county, pid)


def test_a_message_for_another_hall_is_quarantined_as_misrouted(cluster):
    village = cluster.node("v-shiqiao")
    pid = village.start("consume").pid
    stray = envelope_dict(origin="t-huangtan", dest="v-liujia", type="test.note")
    # published into the village's queue (its routing key) though addressed elsewhere
    cluster.publish_raw(routing_key="v-shiqiao.ctl.test.note", body=signed(stray))
    good, agg = good_event(1, dest="v-shiqiao", origin="t-huangtan")
    cluster.publish_raw(routing_key="v-shiqiao.agg.test.case.event", body=good)

    cluster.wait(lambda: applied(village, agg), what="good message")
    assert _quarantined(village) == ["misrouted: for v-liujia, not v-shiqiao"]
    _steady(village, pid)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
BODIES = (
    st.binary(max_size=500)
    | JSON.map(lambda v: json.dumps(v).encode())
    | st.dictionaries(st.sampled_from(["n", "text", "number", "at"]), JSON).map(
        lambda p: signed(
            envelope_dict(origin="v-shiqiao", dest="county", type="test.note") | {"payload": p}
        ).encode()
    )
)


def test_generated_bodies_through_the_broker(tmp_path):
    from tests.support.nodes import Cluster

    with Cluster(tmp_path) as cluster:
        county = cluster.node("county")
        pid = county.start("consume").pid
        sent = []

        @settings(
            max_examples=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(BODIES)
        def publish(body):
            good, agg = good_event(len(sent))
            cluster.publish_raw(routing_key=KEY, body=body)
            cluster.publish_raw(routing_key=KEY, body=good)
            sent.append(agg)

        publish()
        for agg in sent:
            cluster.wait(lambda agg=agg: applied(county, agg), what="good message")
        assert all(_quarantined(county))  # every refusal has its reason
        _steady(county, pid)


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1024


# Measured: 154 MB (RabbitMQ), 161 MB (filesystem); before the byte cap 245 MB on the
# filesystem, and issue 11 saw 523 MB on RabbitMQ after 140 such messages.
RSS_BOUND_MB = 200


def test_consumer_memory_stays_flat_under_a_burst_of_large_bodies(tmp_path):
    from tests.support.nodes import Cluster

    # 5 MB bodies that the county accepts (limit 6 MB): read, applied and freed
    with Cluster(tmp_path, extra_env={"HALL_SYNC_MAX_BYTES": "6000000"}) as cluster:
        county = cluster.node("county")
        pid = county.start("consume").pid
        pad = "x" * 5_000_000
        last = ""
        for i in range(200):
            good, last = good_event(i)
            data = json.loads(good)
            data.pop("sig")
            data["payload"]["pad"] = pad
            cluster.publish_raw(routing_key=KEY, body=signed(data))
        cluster.wait(lambda: applied(county, last), timeout=240, what="the 200th message")
        time.sleep(0.5)
        peak = _peak_rss_mb(pid)
        print(f"consumer peak RSS after 200 x 5 MB: {peak:.0f} MB")
        assert len(applied(county)) == 200
        assert peak < RSS_BOUND_MB, peak
        _steady(county, pid)

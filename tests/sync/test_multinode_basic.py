"""Multi-node: events fan in to the county exactly once, in order, also after a village
was offline; ownership moves and the chain's seq continues at the new owner."""

import pytest

from tests.sync.conftest import applied, assert_exactly_once_in_order, call

pytestmark = [pytest.mark.multinode, pytest.mark.slow]


def test_offline_village_takes_cases_then_catches_up_in_order(cluster):
    # Given a county consuming and a village whose link to the broker is down
    county = cluster.node("county")
    village = cluster.node("v-shiqiao")
    county.start("consume")
    village.link_down()
    village.start("relay")
    aggs = ["V-2026-0001", "V-2026-0002", "V-2026-0003"]

    # When the village keeps taking cases while offline
    assert call(village, f"write_events(aggregates={aggs!r}, per_aggregate=40)") == 120
    status = village.status()
    assert status["outbox_backlog"] == 120 and status["oldest_unsent_age_s"] is not None
    assert village.alive("relay")  # it backs off, it does not die
    assert applied(county) == []

    # Then, once the link returns, the county has every event exactly once, in order
    village.link_up()
    cluster.wait(lambda: len(applied(county)) >= 120, timeout=60, what="catch-up")
    assert_exactly_once_in_order(county, aggs, 40)
    assert cluster.wait(lambda: village.status()["outbox_backlog"] == 0, timeout=20)
    county_status = county.status()
    assert county_status["last_applied"]["v-shiqiao"]["applied"] >= 120
    assert county_status["quarantined"] == 0 and county_status["held_count"] == 0


def test_ownership_transfer_continues_the_chain(cluster):
    county = cluster.node("county")
    village = cluster.node("v-shiqiao")
    township = cluster.node("t-maan")
    for node in (county, village, township):
        node.start("consume")
        node.start("relay")
    case = "V-2026-0100"

    # Given a case filed at the village (seq 1, 2), when it is forwarded up (上报, seq 3)
    assert call(village, f"[put({case!r}, 1), put({case!r}, 2), transfer({case!r}, 't-maan')]") == [
        1,
        2,
        3,
    ]
    # Then the township owns it and continues the seq; the county learns the new owner
    cluster.wait(lambda: township.sql("SELECT seq FROM test_owned") == [(3,)], what="transfer")
    assert call(township, f"[owner_of({case!r}), put({case!r}, 4)]") == ["t-maan", 4]
    cluster.wait(lambda: [s for _, s in applied(county)] == [1, 2, 4], what="county chain")
    assert call(county, f"owner_of({case!r})") == "t-maan"

    # And the old owner may no longer write to the case
    assert call(village, f"put_refused({case!r})") == "refused"

    # When the township hands it back (seq 5), the village owns it again and continues at 6
    assert call(township, f"transfer({case!r}, 'v-shiqiao')") == 5
    cluster.wait(lambda: village.sql("SELECT seq FROM test_owned") == [(5,)], what="hand back")
    assert call(village, f"put({case!r}, 6)") == 6
    cluster.wait(lambda: [s for _, s in applied(county)] == [1, 2, 4, 6], what="county chain")
    assert county.status()["held_count"] == 0
    assert call(county, f"owner_of({case!r})") == "v-shiqiao"

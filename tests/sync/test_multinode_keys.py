"""Hall keys across real nodes (ADR 0012): what a village holds cannot sign for the county
or a township; a hall rotates its key with messages in flight and nothing correct is
quarantined; a hall still signing the previous format (HMAC) and new halls exchange cases."""

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from sync import keys
from tests.support.inject import envelope_dict
from tests.sync.conftest import applied, call

pytestmark = [pytest.mark.multinode, pytest.mark.slow]


def _quarantined(node) -> list[tuple[str, str]]:
    return node.sql("SELECT origin, reason FROM sync_quarantinedmessage ORDER BY id")


def _village_config(village) -> dict:
    """Everything a village's configuration holds that could sign: its own key file and
    the HMAC era's master secret (a village could derive every hall's HMAC key from it)."""
    return {
        "key": keys._load(Path(village.env["HALL_SYNC_KEY_FILE"])),
        "master": village.env.get("HALL_SYNC_MASTER_KEY", "qingshan-embedded-demo-sync"),
    }


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _forgeries(config: dict, data: dict) -> dict[str, str]:
    """`data` (claiming another hall as origin) signed every way the village could."""
    own, message = config["key"], _canonical(data)
    site_key = hmac.new(
        config["master"].encode(), f"hall-sync-key:{data['origin']}:1".encode(), hashlib.sha256
    ).digest()
    # A "new key" of the claimed origin, certified by the village's own key.
    fake = keys.Ed25519PrivateKey.generate()
    fake_public = fake.public_key().public_bytes_raw()
    cert = own.private.sign(keys.cert_message(data["origin"], fake_public)).hex()
    sigs = {
        "village key": f"ed25519:{own.kid}:{own.private.sign(message).hex()}",
        "village key, origin's kid": (
            f"ed25519:{keys.kid_of(fake_public)}:{own.private.sign(message).hex()}"
        ),
        "certified by the village": (
            f"ed25519:{keys.kid_of(fake_public)}:{fake.sign(message).hex()}"
            f":{fake_public.hex()}:{own.kid}:{cert}"
        ),
        "hmac era": hmac.new(site_key, message, hashlib.sha256).hexdigest(),
    }
    return {name: json.dumps({**data, "sig": sig}) for name, sig in sigs.items()}


def test_a_village_cannot_forge_a_county_release_nor_a_township_case_event(cluster):
    # Given a county, a township and a village; the village's whole configuration in hand
    county = cluster.node("county", sample=True)
    township = cluster.node("t-maan")
    village = cluster.node("v-shiqiao")
    for node in (county, township):
        node.start("consume")
    county.start("relay")
    cluster.wait(
        lambda: township.sql("SELECT value FROM sync_synccounter WHERE name = 'catalogue_release'"),
        what="first release at the township",
    )
    release_before = township.sql(
        "SELECT value FROM sync_synccounter WHERE name = 'catalogue_release'"
    )
    config = _village_config(village)

    # When it forges a catalogue release "from the county" to the township ...
    release = envelope_dict(
        origin="county",
        dest="t-maan",
        type="catalogue.release",
        payload={"base": 0, "release": 99, "sites": [], "versions": [], "delegations": []},
    )
    forged_release = _forgeries(config, release)
    # ... and a case event "from the township" to the county
    event = envelope_dict(
        origin="t-maan",
        dest="county",
        type="test.case.event",
        aggregate="T-9",
        seq=1,
        payload={"n": 1},
    )
    forged_event = _forgeries(config, event)
    for body in forged_release.values():
        cluster.publish_raw(routing_key="t-maan.ctl.catalogue.release", body=body)
    for body in forged_event.values():
        cluster.publish_raw(routing_key="county.agg.test.case.event", body=body)

    # Then every forgery is refused and quarantined with its reason; nothing was applied
    cluster.wait(lambda: len(_quarantined(township)) == 4, what="township quarantine")
    cluster.wait(lambda: len(_quarantined(county)) == 4, what="county quarantine")
    for origin, reason in _quarantined(township):
        assert origin == "county" and reason.startswith("bad signature"), reason
    for origin, reason in _quarantined(county):
        assert origin == "t-maan" and reason.startswith("bad signature"), reason
    reasons = " ".join(r for _, r in _quarantined(county))
    assert "unknown key" in reasons and "HMAC" in reasons
    assert (
        township.sql("SELECT value FROM sync_synccounter WHERE name = 'catalogue_release'")
        == release_before
    )
    assert applied(county) == []


def test_a_hall_rotates_its_key_while_messages_are_in_flight(cluster):
    # Given a village sending case events to the county, and a township it forwards to
    county = cluster.node("county")
    township = cluster.node("t-maan")
    village = cluster.node("v-shiqiao")
    county.start("consume")
    county.start("relay")
    township.start("consume")
    village.start("consume")
    aggs = ["V-2026-0201", "V-2026-0202"]
    call(village, f"write_events(aggregates={aggs!r}, per_aggregate=30)")
    village.start("relay")
    old_kid = json.loads(village.hall("sync-keys", "show"))["kid"]

    # When it rotates with its first events still in flight, then keeps writing
    rotated = json.loads(village.hall("sync-keys", "rotate"))
    call(village, f"write_events(aggregates={aggs!r}, per_aggregate=30)")
    case = "V-2026-0203"
    call(village, f"[put({case!r}, 1), transfer({case!r}, 't-maan')]")

    # Then the county has every event once, in order, and quarantined nothing
    cluster.wait(lambda: len(applied(county)) >= 121, timeout=90, what="events at the county")
    rows = [r for r in applied(county) if r[0] in aggs]
    assert len(rows) == 120
    for agg in aggs:
        assert [s for a, s in rows if a == agg] == list(range(1, 61))
    # the township took the case signed with the new key (by the certificate or the release)
    cluster.wait(lambda: township.sql("SELECT seq FROM test_owned") == [(2,)], what="transfer")
    # the county made the new key current, kept the old for the grace period, re-released it
    assert rotated["previous"] == old_kid and rotated["kid"] != old_kid
    county_keys = dict(
        county.sql(
            "SELECT kid, valid_until IS NULL FROM hallkeys_hallkey WHERE site = ?", ("v-shiqiao",)
        )
    )
    assert county_keys == {rotated["kid"]: True, old_kid: False}  # SQLite's 1/0 compare equal
    cluster.wait(
        lambda: (
            township.sql(
                "SELECT kid FROM hallkeys_hallkey WHERE site = ? AND valid_until IS NULL",
                ("v-shiqiao",),
            )
            == [(rotated["kid"],)]
        ),
        what="the new key reaches the township in a release",
    )
    for node in (county, township, village):
        assert _quarantined(node) == [], node.code


def test_a_hall_on_the_previous_format_and_new_halls_exchange_cases(cluster):
    # Given a village still signing HMAC (format 1, as the previous release does) and a
    # county and township that accept format 1 during the transition (HALL_SYNC_HMAC=accept)
    county = cluster.node("county")
    township = cluster.node("t-maan")
    village = cluster.node("v-shiqiao")
    village.env["HALL_SYNC_SIGN"] = "hmac"
    for node in (county, township, village):
        node.env["HALL_SYNC_HMAC"] = "accept"
        node.start("consume")
        node.start("relay")
    case = "V-2026-0300"

    # When the village files a case and forwards it (HMAC), and the township hands it back
    # (Ed25519)
    assert call(village, f"[put({case!r}, 1), put({case!r}, 2), transfer({case!r}, 't-maan')]") == [
        1,
        2,
        3,
    ]
    cluster.wait(lambda: township.sql("SELECT seq FROM test_owned") == [(3,)], what="forward")
    sig = village.sql("SELECT body FROM sync_outboxmessage ORDER BY id LIMIT 1")[0][0]
    assert len(json.loads(sig)["sig"]) == 64  # format 1 on the wire
    assert call(township, f"[put({case!r}, 4), transfer({case!r}, 'v-shiqiao')]") == [4, 5]
    cluster.wait(lambda: village.sql("SELECT seq FROM test_owned") == [(5,)], what="hand back")
    assert call(village, f"put({case!r}, 6)") == 6

    # Then the county saw the whole chain, from both formats, and nothing was quarantined
    cluster.wait(lambda: [s for _, s in applied(county)] == [1, 2, 4, 6], what="county chain")
    for node in (county, township, village):
        assert _quarantined(node) == [], node.code

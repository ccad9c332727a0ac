"""Hall keys (ADR 0012): Ed25519 per hall, rotation without a flag day, the HMAC era."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from sync import keys
from sync.envelope import Reject, envelope_build, envelope_dumps, envelope_parse
from tests.support.inject import envelope_dict, signed
from tests.support.keys import signer

pytestmark = pytest.mark.django_db


def _body(**kw) -> str:
    env = envelope_build(type="t", dest="v-shiqiao", payload={"a": 1}, at=timezone.now(), **kw)
    return envelope_dumps(env)


@pytest.fixture
def own_key_in(tmp_path, settings):
    """This hall (the county of the test settings) with a key file of its own in tmp_path."""
    settings.HALL_SYNC_KEY_FILE = str(tmp_path / "county" / "sync.key")
    keys._own.cache_clear()
    yield tmp_path / "county" / "sync.key"
    keys._own.cache_clear()
    keys.keys_changed()


def test_envelopes_are_signed_with_the_halls_own_ed25519_key():
    data = json.loads(_body())
    assert data["sig"].startswith(f"ed25519:{signer('county').kid}:")
    assert envelope_parse(json.dumps(data)).origin == "county"


def test_another_halls_key_cannot_sign_as_the_county():
    # Given a village's own key (all a village's configuration holds)
    forged = signed(envelope_dict(origin="county", dest="t-maan", type="t"), as_site="v-shiqiao")
    # Then a message it signs as the county is refused, naming the key it does not know
    with pytest.raises(Reject, match="bad signature: unknown key"):
        envelope_parse(forged)


def test_a_rotated_key_is_accepted_by_halls_that_know_only_the_previous_one(
    own_key_in, settings, tmp_path
):
    # Given a hall's pinned key, and a message in flight signed with it
    trust = tmp_path / "trust"
    settings.HALL_SYNC_TRUST_DIR = str(trust)
    keys.keys_changed()
    before = _body()
    old = keys.own_key()
    # When it rotates (receivers still pin only the old key: no release has come yet)
    new = keys.key_rotate()
    keys.pin_write(trust_dir=trust, site="county", public=old.public)
    keys.keys_changed()
    after = _body()
    # Then both messages verify: the new one carries the certificate made by the old key
    assert new.kid != old.kid and new.cert[0] == old.kid
    assert json.loads(after)["sig"].count(":") == 5
    assert envelope_parse(before).origin == envelope_parse(after).origin == "county"


def test_a_certificate_made_by_another_halls_key_is_refused(own_key_in, settings, tmp_path):
    # A village certifies "a new county key" with its own key: no hall accepts that key.
    village = signer("v-shiqiao")
    fake = keys.key_ensure(site="county", path=tmp_path / "fake.key")
    cert = village.private.sign(keys.cert_message("county", fake.public)).hex()
    data = envelope_dict(origin="county", dest="t-maan", type="t")
    message = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    sig = (
        f"ed25519:{fake.kid}:{fake.private.sign(message).hex()}"
        f":{fake.public_hex}:{village.kid}:{cert}"
    )
    with pytest.raises(Reject, match="unknown key"):
        envelope_parse(json.dumps({**data, "sig": sig}))


def test_a_previous_key_past_its_grace_period_is_refused(settings, monkeypatch):
    # Given the county's release: a current key and the previous one, accepted until yesterday
    old, new = signer("t-maan"), signer("t-huangtan")  # two key pairs; their owners don't matter
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    rows = {
        "t-maan": [
            {"kid": new.kid, "public_key": new.public_hex, "until": None},
            {"kid": old.kid, "public_key": old.public_hex, "until": yesterday},
        ]
    }
    monkeypatch.setattr(keys, "_distributed", lambda: rows)
    keys.keys_changed()
    try:
        data = envelope_dict(origin="t-maan", dest="county", type="t")
        with pytest.raises(Reject, match="unknown key"):
            envelope_parse(signed(data))  # signed with t-maan's own (now previous) key
    finally:
        monkeypatch.undo()
        keys.keys_changed()


def test_the_hmac_era_is_refused_unless_the_transition_accepts_it(settings):
    # Format 1 (HMAC with the keys every hall could derive) signed as the county
    body = signed(
        envelope_dict(origin="county", dest="t-maan", type="t"), key=keys.keys_for("county")[0]
    )
    with pytest.raises(Reject, match="HMAC"):
        envelope_parse(body)
    settings.HALL_SYNC_HMAC = "accept"
    assert envelope_parse(body).origin == "county"


def test_a_hall_on_the_previous_format_signs_hmac(settings):
    settings.HALL_SYNC_SIGN = "hmac"
    sig = json.loads(_body())["sig"]
    assert len(sig) == 64 and ":" not in sig
    settings.HALL_SYNC_HMAC = "accept"
    assert envelope_parse(_body()).origin == "county"


@pytest.mark.parametrize("count", [2, 5, 100])
def test_messages_filed_together_share_one_signature_and_each_verifies_alone(count):
    items = [f'{{"n":{i}}}'.encode() for i in range(count)]
    sigs = keys.sign_many(items)
    assert len({s.split(":")[2] for s in sigs}) == 1  # one Ed25519 signature over the tree
    keys._roots.seen.clear()
    for item, sig in zip(items, sigs, strict=True):
        assert keys.verify("county", item, sig) is None
    # a changed message, or a message with another's path, does not verify
    assert keys.verify("county", items[0] + b" ", sigs[0]) is not None
    assert keys.verify("county", items[1], sigs[0]) is not None
    # nor does the tree of one hall vouch for another origin
    assert keys.verify("t-maan", items[0], sigs[0]) is not None


def test_a_batch_written_together_reaches_the_receiver_verified():
    from django.db import transaction

    from sync.api import Outgoing, outbox_put_many
    from sync.models import OutboxMessage

    with transaction.atomic():
        outbox_put_many(
            [
                Outgoing(type="t", aggregate=f"C-{i}", payload={"n": i}, dest="t-maan")
                for i in range(7)
            ]
        )
    bodies = list(OutboxMessage.objects.order_by("id").values_list("body", flat=True))
    assert all(json.loads(b)["sig"].startswith("ed25519t:") for b in bodies)
    keys._roots.seen.clear()
    assert [envelope_parse(b).aggregate for b in bodies] == [f"C-{i}" for i in range(7)]


def test_a_message_signed_with_a_key_that_an_earlier_message_of_the_batch_brought_applies(
    monkeypatch,
):
    from sync.api import applier
    from sync.inbox import inbox_apply

    # Given a hall's new key, that this hall learns only from a message (a release) ...
    fresh = keys.Ed25519PrivateKey.generate()
    public = fresh.public_key().public_bytes_raw()
    rows = {"t-maan": [{"kid": keys.kid_of(public), "public_key": public.hex(), "until": None}]}

    @applier("test.keys.release", payload=None)
    def learn(envelope):
        monkeypatch.setattr(keys, "_distributed", lambda: rows)
        keys.keys_changed()

    release = signed(envelope_dict(origin="t-huangtan", dest="county", type="test.keys.release"))
    event = envelope_dict(origin="t-maan", dest="county", type="test.keys.release")
    message = json.dumps(event, sort_keys=True, separators=(",", ":")).encode()
    sig = f"ed25519:{keys.kid_of(public)}:{fresh.sign(message).hex()}"
    later = json.dumps({**event, "sig": sig})
    try:
        # When both arrive in one batch, the release first
        result = inbox_apply(bodies=[release.encode(), later.encode()])
        # Then the later message is checked again with the new keys, and applies
        assert result.as_dict() == {"applied": 2, "duplicate": 0, "held": 0, "quarantined": 0}
    finally:
        monkeypatch.undo()
        keys.keys_changed()

"""The envelope: signed by the origin, every field checked, keys rotate (current + previous)."""

import json

import pytest
from django.utils import timezone

from sync.envelope import Reject, envelope_build, envelope_dumps, envelope_parse

pytestmark = pytest.mark.django_db  # the public keys the county distributes are in the database


def _body(**kw) -> str:
    env = envelope_build(type="t", dest="v-shiqiao", payload={"a": 1}, at=timezone.now(), **kw)
    return envelope_dumps(env)


def test_a_signed_envelope_parses_back():
    env = envelope_parse(_body(aggregate="C-1", seq=1))
    assert (env.origin, env.aggregate, env.seq, env.payload) == ("county", "C-1", 1, {"a": 1})


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(payload={"a": 2}), "bad signature"),
        (lambda d: d.update(sig=""), "unsigned"),
        (lambda d: d.update(origin="v-nowhere"), "unknown origin"),
        (lambda d: d.update(extra=1), "malformed"),
        (lambda d: d.pop("seq"), "malformed"),
        (lambda d: d.update(seq=True), "malformed"),
        (lambda d: d.update(id=d["id"].upper()), "malformed"),
    ],
)
def test_a_changed_envelope_is_refused_with_its_reason(change, reason):
    data = json.loads(_body())
    change(data)
    with pytest.raises(Reject) as exc:
        envelope_parse(json.dumps(data))
    assert exc.value.reason.startswith(reason)


def test_too_big_and_unparsable_are_refused(settings):
    settings.HALL_SYNC_MAX_BYTES = 100
    with pytest.raises(Reject, match="too big"):
        envelope_parse(_body())
    settings.HALL_SYNC_MAX_BYTES = 1_000_000
    with pytest.raises(Reject, match="unparsable"):
        envelope_parse(b"\xff{")


def test_the_wire_form_is_the_signed_canonical_bytes_with_the_signature_last():
    body = _body(aggregate="C-1", seq=1).encode()
    data = json.loads(body)
    canonical = json.dumps(
        {k: v for k, v in data.items() if k != "sig"},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert body == canonical[:-1] + b',"sig":"' + data["sig"].encode() + b'"}'
    assert envelope_parse(body).signed_bytes == canonical


@pytest.mark.parametrize(
    "edit",
    [
        # a changed value before the signature member
        lambda b: b.replace(b'"payload":{"a":1}', b'"payload":{"a":2}'),
        # a member slipped in between the signed bytes and the signature
        lambda b: b.replace(b',"sig":"', b',"seq":7,"sig":"'),
        # a member appended after the signature
        lambda b: b[:-1] + b',"seq":9}',
    ],
)
def test_an_edited_wire_body_is_refused(edit):
    body = _body(aggregate="C-1", seq=1).encode()
    edited = edit(body)
    assert edited != body
    with pytest.raises(Reject):
        envelope_parse(edited)


def test_a_body_in_another_layout_is_checked_against_its_canonical_form():
    data = json.loads(_body(aggregate="C-1", seq=1))
    sig = data.pop("sig")
    reordered = json.dumps({"sig": sig, **dict(reversed(list(data.items())))}, indent=1)
    assert envelope_parse(reordered).payload == {"a": 1}

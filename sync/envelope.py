"""The envelope every message between halls travels in: built, signed, parsed, verified.

Canonical form: JSON with sorted keys and no spaces, without `sig`; `sig` is the origin
hall's Ed25519 signature over those bytes ("ed25519:<kid>:<hex>", sync/keys.py), or in the
HMAC era (envelope format 1, accepted only while HALL_SYNC_HMAC = "accept") 64 hex digits.
`schema` is the version of the message type's payload (appliers register per type and
schema); the signature's form is the version of the envelope itself.

On the wire a hall sends exactly those canonical bytes with `,"sig":"<hex>"}` in place of
the closing brace, so a receiver checks the signature over the bytes it received instead
of encoding the parsed message again (a tenth of the consumer's time). A body in any other
key order or spacing is still accepted: it is checked against its canonical form.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings

from sync.config import site_codes
from sync.keys import sign, sign_many, verify


class Reject(Exception):
    """A message this node refuses; it is quarantined with `reason`, nothing else fails."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    schema: int
    origin: str
    dest: str
    aggregate: str
    seq: int
    at: str
    payload: dict
    # The seq of this aggregate that `dest` saw last (0: none); lets a receiver that sees
    # only part of a chain still hold a gap. The county sees every chain whole.
    prev: int = 0
    # Sync's own data (the chain's `seen` map on an ownership transfer).
    meta: dict = field(default_factory=dict)
    sig: str = ""
    # The canonical bytes the signature covers, when this node built or received them.
    signed_bytes: bytes = field(default=b"", compare=False, repr=False)

    def as_dict(self) -> dict:
        # Shallow on purpose: dataclasses.asdict deep-copies payload and meta, which was
        # most of the cost of writing an event; serialising never changes them.
        return {name: getattr(self, name) for name in FIELDS}

    def unsigned(self) -> dict:
        data = self.as_dict()
        data.pop("sig")
        return data

    @property
    def at_datetime(self) -> datetime:
        return datetime.fromisoformat(self.at)


FIELDS = {
    "id": str,
    "type": str,
    "schema": int,
    "origin": str,
    "dest": str,
    "aggregate": str,
    "seq": int,
    "at": str,
    "payload": dict,
    "prev": int,
    "meta": dict,
    "sig": str,
}


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def envelope_build(
    *,
    type: str,
    dest: str,
    payload: dict,
    aggregate: str = "",
    seq: int = 0,
    prev: int = 0,
    schema: int = 1,
    meta: dict | None = None,
    at: datetime,
    signed: bool = True,
) -> Envelope:
    """A signed envelope from this node (`signed=False`: signed later by envelopes_sign)."""
    env = Envelope(
        id=str(uuid.uuid4()),
        type=type,
        schema=schema,
        origin=settings.HALL_SITE,
        dest=dest,
        aggregate=aggregate,
        seq=seq,
        at=at.isoformat(),
        payload=payload,
        prev=prev,
        meta=meta or {},
    )
    data = env.unsigned()
    signed_bytes = canonical(data)
    sig = sign(signed_bytes) if signed else ""
    return Envelope(**data, sig=sig, signed_bytes=signed_bytes)


def envelopes_sign(envs: list[Envelope]) -> list[Envelope]:
    """Sign envelopes built with `signed=False`, all with one signature (sync/keys.py)."""
    sigs = sign_many([env.signed_bytes for env in envs])
    return [replace(env, sig=sig) for env, sig in zip(envs, sigs, strict=True)]


_SIG_OPEN = b',"sig":"'


def envelope_dumps(env: Envelope) -> str:
    """The wire form: the signed canonical bytes with the signature as the last member."""
    signed_bytes = env.signed_bytes or canonical(env.unsigned())
    return (signed_bytes[:-1] + _SIG_OPEN + env.sig.encode() + b'"}').decode()


def _signed_part(raw: bytes, sig: str) -> bytes | None:
    """The canonical bytes inside a body in wire form (None for any other layout)."""
    tail = _SIG_OPEN + sig.encode() + b'"}'
    if raw.endswith(tail):
        return raw[: -len(tail)] + b"}"
    return None


# Deeper than any payload we send; bounded because encoding, hashing and storing a nested
# value recurse too (a few thousand levels overflow the stack there even when parsing did not).
MAX_DEPTH = 32


def _shape_problem(data) -> str | None:
    """Why `data` cannot be stored whatever its type: nested deeper than MAX_DEPTH, or a
    NUL character in a key or string (PostgreSQL text and jsonb cannot hold it). Iterative,
    so the walk itself never overflows."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return "malformed: NUL character"
        elif depth > MAX_DEPTH:
            return f"malformed: nested deeper than {MAX_DEPTH}"
        elif isinstance(value, dict):
            stack.extend((k, depth) for k in value)
            stack.extend((v, depth + 1) for v in value.values() if not _plain(v))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if not _plain(v))
    return None


def _plain(value) -> bool:
    return value is None or isinstance(value, (bool, int, float))


def envelope_parse(body: bytes | str) -> Envelope:
    """Parse and verify a received body; raises Reject with the reason for anything wrong."""
    raw = body.encode() if isinstance(body, str) else body
    if len(raw) > settings.HALL_SYNC_MAX_BYTES:
        raise Reject(f"too big: {len(raw)} bytes > {settings.HALL_SYNC_MAX_BYTES}")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Reject("unparsable: not JSON") from None
    except RecursionError:
        raise Reject(f"malformed: nested deeper than {MAX_DEPTH}") from None
    if not isinstance(data, dict):
        raise Reject("malformed: not a JSON object")
    problem = _shape_problem(data)
    if problem:
        raise Reject(problem)
    for name, kind in FIELDS.items():
        value = data.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            if name == "sig" and not value:
                raise Reject("unsigned")
            raise Reject(f"malformed: field {name!r} missing or not {kind.__name__}")
    if set(data) - set(FIELDS):
        raise Reject(f"malformed: unknown fields {sorted(set(data) - set(FIELDS))}")
    tree = site_codes()
    if data["origin"] not in tree:
        raise Reject(f"unknown origin {data['origin']!r}")
    if data["dest"] not in tree:
        raise Reject(f"unknown destination {data['dest']!r}")
    try:
        # canonical form only: the inbox matches ids as text (and uuid4() writes them so)
        if str(uuid.UUID(data["id"])) != data["id"]:
            raise ValueError
        datetime.fromisoformat(data["at"])
    except ValueError:
        raise Reject("malformed: bad id or at") from None
    if data["seq"] < 0 or data["prev"] < 0 or (data["aggregate"] and data["seq"] < 1):
        raise Reject("malformed: bad seq")
    sig = data.pop("sig")
    if not sig:
        raise Reject("unsigned")
    # The received bytes minus the signature member, when in wire form; they parse to
    # `data` (the member removed was the object's last), so a valid signature over them
    # vouches for `data`. Otherwise, or if that does not verify, the canonical form of `data`.
    origin = data["origin"]
    wire = _signed_part(raw, sig)
    problem = verify(origin, wire, sig) if wire is not None else "no wire form"
    if problem is None:
        return Envelope(**data, sig=sig, signed_bytes=wire)
    body_bytes = canonical(data)
    if body_bytes != wire:
        problem = verify(origin, body_bytes, sig)
        if problem is None:
            return Envelope(**data, sig=sig, signed_bytes=body_bytes)
    raise Reject(problem)

"""Envelopes made by hand for injection tests: signed as any site (or not at all)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

from sync.envelope import canonical
from tests.support.keys import signer


def envelope_dict(
    *,
    origin: str,
    dest: str,
    type: str,
    aggregate: str = "",
    seq: int = 0,
    prev: int = 0,
    payload: dict | None = None,
    schema: int = 1,
    msg_id: str | None = None,
    meta: dict | None = None,
) -> dict:
    return {
        "id": msg_id or str(uuid.uuid4()),
        "type": type,
        "schema": schema,
        "origin": origin,
        "dest": dest,
        "aggregate": aggregate,
        "seq": seq,
        "prev": prev,
        "at": datetime.now(UTC).isoformat(),
        "payload": payload or {},
        "meta": meta or {},
    }


def signed(data: dict, *, key: bytes | None = None, as_site: str | None = None) -> str:
    """The body as the origin would send it: signed with the origin's Ed25519 key, or with
    another hall's key (`as_site`, to forge), or HMAC with `key` (the format-1 era)."""
    data = {k: v for k, v in data.items() if k != "sig"}
    message = canonical(data)
    if key is not None:
        sig = hmac.new(key, message, hashlib.sha256).hexdigest()
    else:
        own = signer(as_site or data["origin"])
        sig = f"ed25519:{own.kid}:{own.private.sign(message).hex()}"
    return json.dumps({**data, "sig": sig})

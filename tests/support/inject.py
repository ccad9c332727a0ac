"""Envelopes made by hand for injection tests: signed as any site (or not at all)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime

from sync.envelope import canonical
from sync.keys import keys_for


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


def signed(data: dict, *, key: bytes | None = None) -> str:
    """The body as the origin would send it (or signed with `key`, to forge)."""
    data = {k: v for k, v in data.items() if k != "sig"}
    key = key if key is not None else keys_for(data["origin"])[0]
    sig = hmac.new(key, canonical(data), hashlib.sha256).hexdigest()
    return json.dumps({**data, "sig": sig})

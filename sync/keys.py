"""Signing keys per site: the county provisions them; a node signs with its current key and
accepts the current and the previous key of every origin (rotation without a flag day).

Source, in order:
- HALL_SYNC_KEYRING: a JSON file {"<site>": ["<current hex>", "<previous hex>"], ...}
  written by the county (`hall sync-keys`) and shipped to each node with its configuration.
- otherwise (the embedded demo and the tests): keys derived deterministically from
  HALL_SYNC_MASTER_KEY (default: a fixed demo secret) — one key per site, no previous key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings

from sync.config import site_codes


def _derived(site: str) -> bytes:
    master = settings.HALL_SYNC_MASTER_KEY.encode()
    return hmac.new(master, f"hall-sync-key:{site}:1".encode(), hashlib.sha256).digest()


@cache
def _keyring(path: str) -> dict[str, list[bytes]]:
    if not path:
        return {code: [_derived(code)] for code in site_codes()}
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return {site: [bytes.fromhex(k) for k in keys[:2]] for site, keys in raw.items()}


def keys_for(site: str) -> list[bytes]:
    """Accepted keys of `site`, current first; empty for an unknown site."""
    return _keyring(settings.HALL_SYNC_KEYRING).get(site, [])


def signing_key() -> bytes:
    keys = keys_for(settings.HALL_SITE)
    if not keys:
        raise RuntimeError(f"no signing key for site {settings.HALL_SITE}")
    return keys[0]


def keyring_rotate(*, path: Path, sites: list[str] | None = None) -> dict[str, list[str]]:
    """County: a new current key for `sites` (default all); the old current becomes previous."""
    ring: dict[str, list[str]] = {}
    if path.exists():
        ring = json.loads(path.read_text(encoding="utf-8"))
    for code in sites or list(site_codes()):
        old = ring.get(code, [_derived(code).hex()])
        ring[code] = [secrets.token_hex(32), old[0]]
    path.write_text(json.dumps(ring, indent=2), encoding="utf-8")
    _keyring.cache_clear()
    return ring


# Requests between halls over HTTP (a village asking the county for its cases): the same
# site keys sign the body; the county checks origin, signature and age.
REQUEST_MAX_AGE_SECONDS = 300
REQUEST_SIGNATURE_HEADER = "X-Hall-Signature"


def request_sign(body: bytes) -> str:
    return hmac.new(signing_key(), body, hashlib.sha256).hexdigest()


def request_verified(*, site: str, body: bytes, sig: str) -> bool:
    return any(
        hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), sig or "")
        for key in keys_for(site)
    )

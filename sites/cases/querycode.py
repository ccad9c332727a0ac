"""The citizen's query code: random, shown once on the notice, stored only as a keyed hash.

The key is shared by every hall (HALL_QUERY_CODE_KEY) because a case moves between halls
and the citizen may ask wherever it is now; the node's own SECRET_KEY differs per hall.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
LENGTH = 8
EMBEDDED_KEY = "hall-embedded-query-code-key"


def _key() -> bytes:
    return (getattr(settings, "HALL_QUERY_CODE_KEY", "") or EMBEDDED_KEY).encode()


def query_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def query_code_hash(*, number: str, code: str) -> str:
    message = f"{number}:{code.strip().upper()}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def query_code_matches(*, number: str, code: str, stored: str) -> bool:
    if not stored:
        return False
    return hmac.compare_digest(query_code_hash(number=number, code=code), stored)

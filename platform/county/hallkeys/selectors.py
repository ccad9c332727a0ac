"""Reading the halls' public keys (sync/ calls `hall_keys_distributed` via settings)."""

from __future__ import annotations

from django.db.models import F

from county.hallkeys.models import HallKey


def hall_keys_distributed() -> dict[str, list[dict]]:
    """{site: [{"kid", "public_key", "until"}, ...]}, the current key first: what a release
    carries and what HALL_SYNC_PUBLIC_KEYS answers."""
    found: dict[str, list[dict]] = {}
    rows = HallKey.objects.order_by("site", F("valid_until").desc(nulls_first=True))
    for row in rows:
        found.setdefault(row.site, []).append(
            {
                "kid": row.kid,
                "public_key": row.public_key,
                "until": row.valid_until.isoformat() if row.valid_until else None,
            }
        )
    return found

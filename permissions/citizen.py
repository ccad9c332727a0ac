"""Citizens ask "where is my case?" with the number and query code on their notice.

No account. One identical answer for "no such case" and "wrong code" (same status, same body,
and the same hashing work, so timing does not tell them apart either); limited per client
address; the answer carries no ID number, phone or name. This module holds the limits and
the messages; the lookup reads case rows, so it is sites.cases.access.citizen_case_lookup.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from permissions.auth import client_address
from permissions.ratelimit import rate_limit_hits
from sync.keys import REQUEST_MAX_AGE_SECONDS, REQUEST_SIGNATURE_HEADER, request_verified

NO_ANSWER = "未查询到办件，请核对办件编号和查询码。"
TOO_MANY = "查询过于频繁，请稍后再试。"


def _limits() -> list[tuple[int, int]]:
    # (limit, window seconds): a burst limit and an hourly limit per address.
    return getattr(settings, "HALL_CITIZEN_QUERY_LIMITS", [(10, 60), (60, 3600)])


def citizen_rate_limit(*, address: str | None) -> None:
    """Raise RateLimited when this address has asked too often (every window in one
    statement)."""
    rate_limit_hits(
        [
            (f"citizen:{address or 'unknown'}:{seconds}", limit, seconds)
            for limit, seconds in _limits()
        ]
    )


def citizen_request_limit(request, *, address: str | None) -> None:
    """citizen_rate_limit once per request: the county's own /chaxun/ page counts the query
    and then asks its GraphQL schema in-process with the same request, which must not count
    it again (twice the statements, and half the citizen's limit)."""
    if getattr(request, "_citizen_limit_counted", False):
        return
    citizen_rate_limit(address=address)
    if request is not None:
        request._citizen_limit_counted = True


def citizen_address(request) -> str | None:
    """Whose query this is, for the rate limit. A hall asking the county on a citizen's
    behalf signs its request and names the citizen's address inside it
    (extensions.hall = {site, at, citizen}): the limit then keys on that citizen at that hall,
    so one busy village hall does not lock all its villagers out. Anything unsigned, forged or
    stale counts as the caller's own address."""
    own = client_address(request)
    sig = request.headers.get(REQUEST_SIGNATURE_HEADER, "") if request is not None else ""
    if not sig:
        return own
    try:
        body = request.body
        hall = json.loads(body)["extensions"]["hall"]
        site, citizen = str(hall["site"]), str(hall["citizen"])[:64]
        age = abs((timezone.now() - datetime.fromisoformat(hall["at"])).total_seconds())
    except (ValueError, KeyError, TypeError):
        return own
    if age > REQUEST_MAX_AGE_SECONDS or not request_verified(site=site, body=body, sig=sig):
        return own
    return f"{site}/{citizen}"

"""Asking the county for the cross-tier answer to "where is my case?"."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

QUERY = """query($number: String!, $code: String!) {
  caseStatus(number: $number, queryCode: $code) {
    number itemName statusLabel outcomeLabel hall hallTier acceptedOn promisedOn
    promisedProvisional lastHeardAt steps { label at hall }
  }
}"""
TIMEOUT_SECONDS = 3


class CountyUnreachable(Exception):
    pass


def county_case_status(*, number: str, query_code: str) -> tuple[dict | None, str | None]:
    """(answer, None) or (None, the county's message); CountyUnreachable when it is down."""
    body = json.dumps({"query": QUERY, "variables": {"number": number, "code": query_code}})
    request = urllib.request.Request(
        settings.HALL_COUNTY_URL.rstrip("/") + "/graphql/",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            reply = json.loads(response.read())
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise CountyUnreachable(str(exc)) from exc
    answer = (reply.get("data") or {}).get("caseStatus")
    if answer:
        return answer, None
    errors = reply.get("errors") or [{}]
    return None, errors[0].get("message", "")

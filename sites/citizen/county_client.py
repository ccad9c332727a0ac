"""Asking the county over HTTP: the citizen's "where is my case?" and a village agent's
"where are the cases I filed?" (signed with this hall's sync key)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import timezone

from sync.keys import REQUEST_SIGNATURE_HEADER, request_sign

QUERY = """query($number: String!, $code: String!) {
  caseStatus(number: $number, queryCode: $code) {
    number itemName statusLabel outcomeLabel hall hallTier acceptedOn promisedOn
    promisedProvisional lastHeardAt steps { label at hall } deliveryStatusLabel
  }
}"""
TIMEOUT_SECONDS = 3
FOLLOW_PATH = "/halls/followed/"


class CountyUnreachable(Exception):
    pass


# At the county itself the answers come in process: the citizen's query from the county's
# GraphQL schema, an agent's followed cases from its read model. A hall app may not import a
# county-only app (docs/decisions/0025-layers.md), so those apps hand their answerers in at
# start-up (county.graph.apps, county.readmodel.apps); a node without them has none.
_here: dict = {}


def county_answers_here(**answerers) -> None:
    """Register the county's own answerers: case_status(request, number, query_code) ->
    (answer, message); followed(*, site, numbers) -> {number: row}."""
    _here.update(answerers)


def _answerer(name: str):
    if name not in _here:
        raise CountyUnreachable(f"no county answerer for {name} in this process")
    return _here[name]


def county_case_status_here(request, *, number: str, query_code: str):
    """(answer, None) or (None, the county's message), asked in process at the county;
    CountyUnreachable when this node carries no county answerer."""
    return _answerer("case_status")(request, number, query_code)


def county_followed_here(*, site: str, numbers: list[str]) -> dict[str, dict]:
    """county_followed, asked in process at the county (the read model is here)."""
    return _answerer("followed")(site=site, numbers=numbers)


def county_post(path: str, body: bytes, headers: dict | None = None) -> dict:
    """POST JSON to the county, the reply parsed; CountyUnreachable when it cannot answer."""
    request = urllib.request.Request(
        settings.HALL_COUNTY_URL.rstrip("/") + path,
        data=body,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        raise CountyUnreachable(str(exc)) from exc


def county_case_status(
    *, number: str, query_code: str, citizen: str | None = None
) -> tuple[dict | None, str | None]:
    """(answer, None) or (None, the county's message); CountyUnreachable when it is down.

    Signed with this hall's key and naming the citizen's address (`citizen`), so the county
    limits each citizen, not the whole hall (permissions.citizen.citizen_address)."""
    hall = {"site": settings.HALL_SITE, "at": timezone.now().isoformat(), "citizen": citizen}
    body = json.dumps(
        {
            "query": QUERY,
            "variables": {"number": number, "code": query_code},
            "extensions": {"hall": hall},
        }
    ).encode()
    reply = county_post("/graphql/", body, {REQUEST_SIGNATURE_HEADER: request_sign(body)})
    answer = (reply.get("data") or {}).get("caseStatus")
    if answer:
        return answer, None
    errors = reply.get("errors") or [{}]
    return None, errors[0].get("message", "")


def county_followed(*, numbers: list[str]) -> dict[str, dict]:
    """The county's record of each of these cases filed here, by number (no personal data)."""
    body = json.dumps(
        {"site": settings.HALL_SITE, "at": timezone.now().isoformat(), "numbers": numbers}
    ).encode()
    reply = county_post(FOLLOW_PATH, body, {REQUEST_SIGNATURE_HEADER: request_sign(body)})
    return {row["number"]: row for row in reply.get("cases", [])}

"""Citizens ask "where is my case?" with the number and query code on their notice.

No account. One identical answer for "no such case" and "wrong code" (same status, same body,
and the same hashing work, so timing does not tell them apart either); limited per client
address; the answer carries no ID number, phone or name.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.timezone import localdate

from permissions.ratelimit import rate_limit_hit

NO_ANSWER = "未查询到办件，请核对办件编号和查询码。"
TOO_MANY = "查询过于频繁，请稍后再试。"


def _limits() -> list[tuple[int, int]]:
    # (limit, window seconds): a burst limit and an hourly limit per address.
    return getattr(settings, "HALL_CITIZEN_QUERY_LIMITS", [(10, 60), (60, 3600)])


def citizen_rate_limit(*, address: str | None) -> None:
    """Raise RateLimited when this address has asked too often."""
    for limit, seconds in _limits():
        rate_limit_hit(
            key=f"citizen:{address or 'unknown'}:{seconds}", limit=limit, window_seconds=seconds
        )


def citizen_case_lookup(*, number: str, query_code: str):
    """The case when number and code match, else None — for both failure kinds alike."""
    from sites.cases.models import Case
    from sites.cases.querycode import query_code_hash, query_code_matches

    number = (number or "").strip()[:64]
    query_code = (query_code or "").strip()[:32]
    case = (
        Case.objects.select_related("owner_site", "item_version").filter(number=number).first()
        if number and query_code
        else None
    )
    if case is None:
        query_code_hash(number=number, code=query_code)  # the same work as a real check
        return None
    if not query_code_matches(number=number, code=query_code, stored=case.query_code_hash):
        return None
    return case


def citizen_case_answer(case) -> dict:
    """What a citizen may see: status and where the case is. Never personal data."""
    return {
        "number": case.number,
        "item": case.item_version.name,
        "status": case.status,
        "status_label": case.get_status_display(),
        "outcome_label": case.get_outcome_display() if case.outcome else "",
        "site": case.owner_site.name,
        "submitted_on": localdate(case.submitted_at),
        "accepted_on": localdate(case.accepted_at) if case.accepted_at else None,
        "concluded_on": localdate(case.concluded_at) if case.concluded_at else None,
        "deadline": case.deadline,
        "clock_state_label": case.get_clock_state_display(),
    }

"""Reads of feedback: the case behind a citizen's number and code, what they may see."""

from __future__ import annotations

from permissions.citizen import citizen_case_lookup
from sites.feedback.models import Complaint, Rating
from sites.registry.tier import here


def citizen_case_facts(*, number: str, query_code: str) -> dict | None:
    """Facts of the case (its window, clerk) when number and code match, else None alike.

    This hall's own case first; the county also knows every hall's cases (the read model),
    for a rating or complaint online about a case handled elsewhere (no window then: the
    department's window at the hall that handled it)."""
    case = citizen_case_lookup(number=number, query_code=query_code)
    if case is not None:
        from sites.feedback.services import case_facts

        return {**case_facts(case), "concluded": case.concluded_at is not None}
    if not here().keeps_read_model:
        return None
    from county.catalogue.models import Item
    from county.readmodel.models import CaseRecord
    from sites.cases.querycode import query_code_matches

    record = CaseRecord.objects.filter(number=(number or "").strip()[:64]).first()
    if record is None or not query_code_matches(
        number=record.number, code=(query_code or "").strip()[:32], stored=record.query_code_hash
    ):
        return None
    item = Item.objects.select_related("department").filter(code=record.item_code).first()
    return {
        "case_number": record.number,
        "item_name": record.item_name,
        "window_site": record.decided_site or record.owner_site,
        "window_site_name": "",
        "window_number": "",
        "window_name": "",
        "department_code": item.department.code if item else "",
        "department_name": item.department.name if item else "",
        "staff_username": "",
        "staff_name": "",
        "concluded": record.concluded_at is not None,
    }


def citizen_feedback(*, case_number: str) -> dict:
    """The rating and complaints of a case as the citizen may see them (no names of staff)."""
    return {
        "rating": Rating.objects.filter(case_number=case_number).first(),
        "complaints": list(Complaint.objects.filter(case_number=case_number)),
    }

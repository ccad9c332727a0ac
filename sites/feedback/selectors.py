"""Reads of feedback: the case behind a citizen's number and code, what they may see."""

from __future__ import annotations

from sites.cases.access import citizen_case_lookup
from sites.feedback.models import Complaint, Rating
from sites.feedback.services import case_facts
from sites.registry.tier import here

# The county's read model knows every hall's cases; a hall app may not import it
# (docs/decisions/0025-layers.md), so county.assessment hands its lookup in at start-up.
_elsewhere = None


def case_facts_elsewhere(lookup) -> None:
    """Register lookup(*, number, query_code) -> facts | None: a case handled at another hall."""
    global _elsewhere
    _elsewhere = lookup


def citizen_case_facts(*, number: str, query_code: str) -> dict | None:
    """Facts of the case (its window, clerk) when number and code match, else None alike.

    This hall's own case first; the county also knows every hall's cases (the read model),
    for a rating or complaint online about a case handled elsewhere (no window then: the
    department's window at the hall that handled it)."""
    case = citizen_case_lookup(number=number, query_code=query_code)
    if case is not None:
        return {**case_facts(case), "concluded": case.concluded_at is not None}
    if not here().keeps_read_model:
        return None
    return None if _elsewhere is None else _elsewhere(number=number, query_code=query_code)


def citizen_feedback(*, case_number: str) -> dict:
    """The rating and complaints of a case as the citizen may see them (no names of staff)."""
    return {
        "rating": Rating.objects.filter(case_number=case_number).first(),
        "complaints": list(Complaint.objects.filter(case_number=case_number)),
    }

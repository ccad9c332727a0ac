"""The case messages between halls, declared once: the `case.event` payload, built by the
sender (sites.cases.outbound) and checked by every applier (the county's read model, the
joint parts' read model) before anything is written.

Each value's limits (length, integer range, null) come from the model field it is read
from at the sender (a site by its code); the county's read-model columns have the same
widths (tests/sync/test_hardening.py holds them together), so what fits here fits there.
"""

from __future__ import annotations

from county.catalogue.models import Item, ItemVersion
from sites.cases.models import Case, CaseEvent
from sites.registry.models import Site
from sync.api import Obj, of

EVENT_TYPE = "case.event"
TRANSFER_TYPE = "case.transfer"


def _f(model, name: str, **changes):
    return of(model._meta.get_field(name), **changes)


# What the county's read model and the joint parts' read model are written from.
CASE_EVENT = Obj(
    {
        "number": _f(Case, "number", blank=False),
        "seq": _f(CaseEvent, "seq", min=1),
        "type": _f(CaseEvent, "type", blank=False),
        "at": _f(CaseEvent, "at"),
        "site": _f(Site, "code", blank=False),
        "actor": _f(CaseEvent, "actor_name", required=False),
        "data": Obj(required=False, null=True, empty=True),
        "case": Obj(
            {
                "status": _f(Case, "status", blank=False),
                "outcome": _f(Case, "outcome"),
                "owner_site": _f(Site, "code", blank=False),
                "origin_site": _f(Site, "code", blank=False),
                "item_code": _f(Item, "code", blank=False),
                "item_name": _f(ItemVersion, "name"),
                "item_version": _f(ItemVersion, "number"),
                "handling_type": _f(ItemVersion, "handling_type"),
                "legal_limit_days": _f(ItemVersion, "legal_limit_days"),
                "promised_limit_days": _f(ItemVersion, "promised_limit_days"),
                "submitted_at": _f(Case, "submitted_at"),
                "accepted_at": _f(Case, "accepted_at"),
                "concluded_at": _f(Case, "concluded_at"),
                "deadline": _f(Case, "deadline"),
                "deadline_provisional": _f(Case, "deadline_provisional"),
                "clock_state": _f(Case, "clock_state", blank=False),
                "days_used": _f(Case, "days_used"),
                "query_code_hash": _f(Case, "query_code_hash", required=False),
            }
        ),
    }
)


def event_payload(case: Case, event: CaseEvent) -> dict:
    """The event with the case's state after it: the read model needs nothing else."""
    version = case.item_version
    return {
        "number": case.number,
        "seq": event.seq,
        "type": event.type,
        "at": event.at.isoformat(),
        "site": event.site.code,
        "actor": event.actor_name,
        "data": event.data,
        "case": {
            "status": case.status,
            "outcome": case.outcome,
            "owner_site": case.owner_site.code,
            "origin_site": case.origin_site.code,
            "item_code": version.item.code,
            "item_version": version.number,
            "item_name": version.name,
            "handling_type": version.handling_type,
            "legal_limit_days": version.legal_limit_days,
            "promised_limit_days": version.promised_limit_days,
            "submitted_at": case.submitted_at.isoformat(),
            "accepted_at": case.accepted_at.isoformat() if case.accepted_at else None,
            "concluded_at": case.concluded_at.isoformat() if case.concluded_at else None,
            "deadline": case.deadline.isoformat() if case.deadline else None,
            "deadline_provisional": case.deadline_provisional,
            "clock_state": case.clock_state,
            "days_used": case.days_used,
            # Keyed hash only: lets the county answer the citizen's query for any hall.
            "query_code_hash": case.query_code_hash,
        },
    }

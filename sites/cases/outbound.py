"""What the cases app sends to other halls, through sync/ (sync.api).

Every case event fans in to the county's read model; forwarding and handing back move
ownership with an explicit transfer. Both are written to the outbox inside the caller's
transaction. At the county itself the event is addressed to the county: sync applies it
at once, in the same transaction, through the same registered appliers as any hall's.
"""

from __future__ import annotations

from sites.cases.models import Case, CaseEvent
from sites.registry.models import Site
from sync import api

EVENT_TYPE = "case.event"
TRANSFER_TYPE = "case.transfer"


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


def event_publish(*, case: Case, event: CaseEvent, here: Site) -> None:
    payload = event_payload(case, event)
    api.outbox_put(type=EVENT_TYPE, aggregate=case.number, payload=payload, dest=api.fanin())


def ownership_send(*, case: Case, to_site: Site, snapshot: dict) -> None:
    api.ownership_transfer(
        aggregate=case.number, to_site=to_site.code, payload=snapshot, type=TRANSFER_TYPE
    )

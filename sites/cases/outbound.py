"""What the cases app sends to other halls, through sync/ (sync.api).

Every case event fans in to the county's read model; forwarding and handing back move
ownership with an explicit transfer. Both are written to the outbox inside the caller's
transaction. At the county itself the event is addressed to the county: sync applies it
at once, in the same transaction, through the same registered appliers as any hall's.
"""

from __future__ import annotations

from sites.cases.messages import EVENT_TYPE, TRANSFER_TYPE, event_payload
from sites.cases.models import Case, CaseEvent
from sites.registry.models import Site
from sync import api


def event_publish(*, case: Case, event: CaseEvent, here: Site) -> None:
    payload = event_payload(case, event)
    api.outbox_put(type=EVENT_TYPE, aggregate=case.number, payload=payload, dest=api.fanin())


def ownership_send(*, case: Case, to_site: Site, snapshot: dict) -> None:
    api.ownership_transfer(
        aggregate=case.number, to_site=to_site.code, payload=snapshot, type=TRANSFER_TYPE
    )

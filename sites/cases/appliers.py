"""Message handlers of the cases app (run by sync/ in the inbox transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.outbound import TRANSFER_TYPE
from sites.cases.transfer import case_materialise
from sync.api import Date, DateTime, Int, List, Obj, Reject, Str, applier

# The snapshot case_materialise writes (Case, ClockEntry, CaseEvent), against their columns.
SNAPSHOT = Obj(
    {
        "number": Str(max_length=64, blank=False),
        "seq": Int(),
        "route": List(),
        "status": Str(max_length=12, blank=False),
        "outcome": Str(max_length=10),
        "applicant_name": Str(max_length=50),
        "applicant_id_number": Str(max_length=18),
        "applicant_phone": Str(max_length=20),
        "materials_received": List(),
        "materials_deferred": List(),
        "supplement_items": List(),
        "query_code_hash": Str(max_length=64),
        "submitted_at": DateTime(),
        "accepted_at": DateTime(null=True),
        "concluded_at": DateTime(null=True),
        "closed_at": DateTime(null=True),
        "item_code": Str(max_length=40, blank=False),
        "item_version": Int(),
        "origin_site": Str(max_length=40, blank=False),
        "owner_site": Str(max_length=40, blank=False),
        "ledger": List(
            Obj(
                {
                    "kind": Str(max_length=12, blank=False),
                    "days": Int(max=32_767),
                    "start": Date(),
                    "end": Date(null=True),
                    "reason": Str(max_length=200),
                }
            )
        ),
        "events": List(
            Obj(
                {
                    "seq": Int(),
                    "type": Str(max_length=24, blank=False),
                    "at": DateTime(),
                    "site": Str(max_length=40, blank=False),
                    "actor": Str(max_length=150),
                    "data": Obj(null=True, empty=True),
                }
            )
        ),
    }
)


@applier(TRANSFER_TYPE, owned=True, payload=SNAPSHOT)
def case_transfer_received(envelope) -> None:
    """Forwarded up or handed back to this hall: materialise the case and own it."""
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件快照与消息聚合编号不符")
    try:
        case_materialise(snapshot=payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"办件快照不完整：{exc}") from exc
    except ValidationError as exc:
        raise Reject("; ".join(exc.messages)) from exc

"""The county's read model hears every case event of every hall (fan-in)."""

from __future__ import annotations

from django.conf import settings

from county.readmodel.services import readmodel_apply
from sync.api import Bool, Date, DateTime, Int, Obj, Reject, Str, applier
from sync.schema import SMALL_MAX

EVENT_TYPE = "case.event"  # as sent by sites.cases.outbound

# What lands in CaseFact and CaseRecord, checked against their columns before any write.
EVENT = Obj(
    {
        "number": Str(max_length=64, blank=False),
        "seq": Int(min=1),
        "type": Str(max_length=24, blank=False),
        "at": DateTime(),
        "site": Str(max_length=40, blank=False),
        "actor": Str(max_length=150, required=False),
        "data": Obj(required=False, null=True, empty=True),
        "case": Obj(
            {
                "status": Str(max_length=12, blank=False),
                "outcome": Str(max_length=10),
                "owner_site": Str(max_length=40, blank=False),
                "origin_site": Str(max_length=40, blank=False),
                "item_code": Str(max_length=40, blank=False),
                "item_name": Str(max_length=100),
                "item_version": Int(),
                "handling_type": Str(max_length=10),
                "legal_limit_days": Int(max=SMALL_MAX),
                "promised_limit_days": Int(max=SMALL_MAX),
                "submitted_at": DateTime(),
                "accepted_at": DateTime(null=True),
                "concluded_at": DateTime(null=True),
                "deadline": Date(null=True),
                "deadline_provisional": Bool(),
                "clock_state": Str(max_length=12, blank=False),
                "days_used": Int(min=-SMALL_MAX, max=SMALL_MAX),
                "query_code_hash": Str(max_length=64, required=False),
            }
        ),
    }
)


@applier(EVENT_TYPE, owned=True, copies=True, payload=EVENT)
def case_event_received(envelope) -> None:
    if settings.HALL_TIER != "county":
        return  # only the county keeps the cross-site view
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件事件与消息聚合编号不符")
    if payload.get("site") != envelope.origin:
        raise Reject("办件事件的站点与消息来源不符")
    try:
        readmodel_apply(payload=payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"办件事件不完整：{exc}") from exc

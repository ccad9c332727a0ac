"""At the county: each hall's notification outcomes (run in the inbox transaction; the
unique (site, key) makes a repeated message count once, the later outcome standing)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime

from sites.notify.models import NotifyReport, Status
from sites.notify.outbound import OUTCOME_TYPE
from sync.api import DateTime, Int, Obj, Reject, Str, applier

OUTCOME = Obj(
    {
        "key": Str(max_length=120, blank=False),
        "site": Str(max_length=40, blank=False),
        "case_number": Str(max_length=64),
        "kind": Str(max_length=32, blank=False),
        "status": Str(max_length=10, blank=False),
        "attempts": Int(0, 1000),
        "error": Str(max_length=200),
        "created_at": DateTime(),
        "done_at": DateTime(),
    }
)


@applier(OUTCOME_TYPE, payload=OUTCOME)
def outcome_received(envelope) -> None:
    payload = envelope.payload
    if payload["site"] != envelope.origin:
        raise Reject("短信结果的站点与消息来源不符")
    if payload["status"] not in (Status.SENT, Status.FAILED):
        raise Reject("短信结果的状态无效")
    NotifyReport.objects.update_or_create(
        site=payload["site"],
        key=payload["key"],
        defaults={
            "case_number": payload["case_number"],
            "kind": payload["kind"],
            "status": payload["status"],
            "attempts": payload["attempts"],
            "error": payload["error"],
            "created_at": parse_datetime(payload["created_at"]),
            "done_at": parse_datetime(payload["done_at"]),
        },
    )

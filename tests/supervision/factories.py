"""Case events as halls send them, for the county's read model (hand-made timelines)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from county.readmodel.services import readmodel_apply

BEIJING = ZoneInfo("Asia/Shanghai")
ITEMS = {  # code: (name, handling type, legal, promised) as in the sample catalogue
    "mzj-001": ("最低生活保障申请", "promised", 30, 20),
    "mzj-002": ("临时救助", "promised", 15, 7),
    "mzj-004": ("结婚登记", "instant", 0, 0),
    "rsj-004": ("就业困难人员认定", "promised", 15, 7),
    "scjg-003": ("食品经营许可", "joint", 20, 10),
}


def bj(day: str, hm: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{hm}").replace(tzinfo=BEIJING)


class Timeline:
    """One case's events, applied to the read model as they are added."""

    def __init__(self, number: str, item: str, site: str, submitted: datetime) -> None:
        name, handling, legal, promised = ITEMS[item]
        self.number, self.seq = number, 0
        self.case = {
            "status": "submitted",
            "outcome": "",
            "owner_site": site,
            "origin_site": site,
            "item_code": item,
            "item_name": name,
            "item_version": 1,
            "handling_type": handling,
            "legal_limit_days": legal,
            "promised_limit_days": promised,
            "submitted_at": submitted.isoformat(),
            "accepted_at": None,
            "concluded_at": None,
            "deadline": None,
            "deadline_provisional": False,
            "clock_state": "not_started",
            "days_used": 0,
            "query_code_hash": "",
        }
        self.event("submitted", submitted, site)

    def event(self, type: str, at: datetime, site: str, data: dict | None = None, **case):
        self.seq += 1
        self.case.update(case)
        payload = {
            "number": self.number,
            "seq": self.seq,
            "type": type,
            "at": at.isoformat(),
            "site": site,
            "actor": "测试",
            "data": data or {},
            "case": dict(self.case),
        }
        readmodel_apply(payload=payload)
        return self

    def accept(self, at: datetime, deadline: date | None, state: str = "on_time"):
        site = self.case["owner_site"]
        return self.event(
            "accepted",
            at,
            site,
            status="accepted",
            accepted_at=at.isoformat(),
            deadline=deadline.isoformat() if deadline else None,
            clock_state=state,
        )

    def forward(self, at: datetime, to: str):
        return self.event("forwarded", at, self.case["owner_site"], owner_site=to)

    def decide(self, at: datetime, used: int):
        return self.event(
            "decided",
            at,
            self.case["owner_site"],
            status="concluded",
            outcome="approved",
            concluded_at=at.isoformat(),
            clock_state="stopped",
            days_used=used,
        )

    def refuse(self, at: datetime):
        return self.event("refused", at, self.case["owner_site"], status="refused")

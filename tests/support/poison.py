"""The bodies that once stopped a queue (issue 11), each with the reason it must be refused
for; shared by the inbox tests and the multi-node tests (which publish them raw)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from tests.support.inject import envelope_dict, signed

VILLAGE = "v-shiqiao"
EVENT = "test.case.event"


def good_event(n: int, *, dest: str = "county", origin: str = VILLAGE) -> tuple[bytes, str]:
    """A fresh chain's first test event (applies anywhere it is addressed); and its aggregate."""
    agg = f"G-{uuid.uuid4().hex[:12]}"
    data = envelope_dict(
        origin=origin, dest=dest, type=EVENT, aggregate=agg, seq=1, payload={"n": n}
    )
    return signed(data).encode(), agg


def case_payload(**changes) -> dict:
    """A case event as sites.cases.outbound sends it (the county's read model applies it)."""
    now = datetime.now(UTC).isoformat()
    number = changes.pop("number", f"V-2026-{uuid.uuid4().hex[:6]}")
    case = {
        "status": "accepted",
        "outcome": "",
        "owner_site": VILLAGE,
        "origin_site": VILLAGE,
        "item_code": "ITEM-1",
        "item_version": 1,
        "item_name": "测试事项",
        "handling_type": "promised",
        "legal_limit_days": 20,
        "promised_limit_days": 10,
        "submitted_at": now,
        "accepted_at": now,
        "concluded_at": None,
        "deadline": "2026-12-31",
        "deadline_provisional": False,
        "clock_state": "running",
        "days_used": 0,
        "query_code_hash": "",
    }
    payload = {
        "number": number,
        "seq": 1,
        "type": "accepted",
        "at": now,
        "site": VILLAGE,
        "actor": "张三",
        "data": {},
        "case": case,
    }
    payload.update(changes)
    return payload


def case_event(**changes) -> str:
    payload = case_payload(**changes)
    agg = changes.get("aggregate_override") or payload["number"]
    payload.pop("aggregate_override", None)
    data = envelope_dict(
        origin=VILLAGE, dest="county", type="case.event", aggregate=agg, seq=1, payload=payload
    )
    return signed(data)


def _empty_case_event() -> str:
    agg = f"V-2026-{uuid.uuid4().hex[:6]}"
    data = envelope_dict(origin=VILLAGE, dest="county", type="case.event", aggregate=agg, seq=1)
    return signed(data | {"payload": {}})


def _nested_payload() -> str:
    deep: list = []
    for _ in range(40):
        deep = [deep]
    return signed(
        envelope_dict(origin=VILLAGE, dest="county", type=EVENT, payload={"n": 1, "deep": deep})
    )


def _nul_claimed() -> str:
    data = envelope_dict(origin=VILLAGE, dest="county", type=EVENT)
    return json.dumps({**data, "origin": "v-shi\u0000qiao", "type": "x\u0000", "sig": "0" * 64})


def _misrouted() -> str:
    # a valid control message for a township, published into the county's queue
    return signed(envelope_dict(origin=VILLAGE, dest="t-huangtan", type="test.note"))


# name -> () -> (body, the reason's start)
POISON = {
    "deep nesting": lambda: (b"[" * 20_000 + b"]" * 20_000, "malformed: nested deeper"),
    "nested payload": lambda: (_nested_payload().encode(), "malformed: nested deeper"),
    "raw NUL": lambda: (b'{"id": "\x00\x00", "type": "a\x00"}\x00', "unparsable"),
    "raw NUL only": lambda: (b"\x00" * 100, "unparsable"),
    "invalid UTF-8": lambda: (b'{"id": "\xff\xfe"}', "unparsable"),
    "NUL in claimed fields": lambda: (_nul_claimed().encode(), "malformed: NUL"),
    "NUL in case number": lambda: (
        case_event(number="V-\u0000", aggregate_override="V-\u0000").encode(),
        "malformed: NUL",
    ),
    "NUL in a payload value": lambda: (
        case_event(actor="张\u0000三").encode(),
        "malformed: NUL",
    ),
    "case event with bad at": lambda: (case_event(at="not a date").encode(), "invalid payload"),
    "case event without at": lambda: (case_event(at=None).encode(), "invalid payload"),
    "case number longer than 64": lambda: (
        case_event(number="V" * 65, aggregate_override="V" * 65).encode(),
        "invalid payload",
    ),
    "misrouted": lambda: (_misrouted().encode(), "misrouted"),
    "empty payload": lambda: (_empty_case_event().encode(), "invalid payload"),
}

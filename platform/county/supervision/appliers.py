"""Message handlers of e-supervision (run by sync/ in the inbox transaction).

A refusal raises sync's Reject: the message is quarantined with the reason."""

from __future__ import annotations

from county.supervision.orders import (
    ANSWER,
    ISSUE,
    Refused,
    order_answer_receive,
    order_copy_apply,
)
from sync.api import Date, DateTime, Int, Obj, Reject, Str, applier

ISSUED = Obj(
    {
        "code": Str(max_length=40, blank=False),
        "case_number": Str(max_length=64, blank=False),
        "site": Str(max_length=40, blank=False),
        "department": Str(max_length=40),
        "item_code": Str(max_length=40, required=False),
        "item_name": Str(max_length=100, required=False),
        "reason": Str(max_length=500, blank=False),
        "days": Int(min=1, max=30),
        "due": Date(),
        "issued_by": Str(max_length=150),
        "issued_at": DateTime(),
    }
)
ANSWERED = Obj(
    {
        "code": Str(max_length=40, blank=False),
        "answer": Str(max_length=1000, blank=False),
        "answered_by": Str(max_length=150),
        "answered_at": DateTime(),
    }
)


def _run(fn, **kwargs):
    try:
        return fn(**kwargs)
    except Refused as exc:
        raise Reject(exc.reason) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"督办消息不完整：{exc}") from exc


@applier(ISSUE, payload=ISSUED)
def order_issued(envelope) -> None:
    """At the hall holding the case: the county's 督办单 arrives."""
    _run(order_copy_apply, origin=envelope.origin, snapshot=envelope.payload)


@applier(ANSWER, payload=ANSWERED)
def order_answered(envelope) -> None:
    """At the county: the window's answer."""
    _run(order_answer_receive, origin=envelope.origin, payload=envelope.payload)

"""Message handlers of e-supervision (run by sync/ in the inbox transaction).

A refusal raises sync's Reject: the message is quarantined with the reason."""

from __future__ import annotations

from county.supervision.models import SupervisionOrder
from county.supervision.orders import (
    ANSWER,
    ISSUE,
    Refused,
    order_answer_receive,
    order_copy_apply,
)
from sync.api import Obj, Reject, applier, of


# Each value's limits come from the SupervisionOrder column it is written to (sync.schema.of).
def _f(name: str, **changes):
    return of(SupervisionOrder._meta.get_field(name), **changes)


ISSUED = Obj(
    {
        "code": _f("code", blank=False),
        "case_number": _f("case_number", blank=False),
        "site": _f("site_code", blank=False),
        "department": _f("department_code"),
        "item_code": _f("item_code", required=False),
        "item_name": _f("item_name", required=False),
        "reason": _f("reason", blank=False),
        "days": _f("days", min=1, max=30),  # the rule's range, narrower than the column
        "due": _f("due"),
        "issued_by": _f("issued_by"),
        "issued_at": _f("issued_at"),
    }
)
ANSWERED = Obj(
    {
        "code": _f("code", blank=False),
        "answer": _f("answer", blank=False),
        "answered_by": _f("answered_by"),
        "answered_at": _f("answered_at", null=False),
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

"""Message handlers of joint approvals (run by sync/ in the inbox transaction).

A refusal raises sync's Reject: the message is quarantined with the reason, not applied.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from sites.joint.copies import Refused, part_copy_apply, part_copy_withdraw
from sites.joint.outbound import ASSIGN, OPINION, WITHDRAW
from sites.joint.records import part_records_apply
from sites.joint.services import LateOpinion, part_opinion_receive
from sync.api import Reject, applier


def _payload(envelope) -> dict:
    payload = envelope.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("key"), str):
        raise Reject("联办消息缺少环节编号")
    if not isinstance(payload.get("generation"), int):
        raise Reject("联办消息缺少分派次数")
    return payload


def _run(fn, **kwargs):
    try:
        return fn(**kwargs)
    except (Refused, LateOpinion) as exc:
        raise Reject(exc.reason) from exc
    except ValidationError as exc:
        raise Reject("; ".join(exc.messages)) from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"联办消息不完整：{exc}") from exc


@applier(ASSIGN)
def part_assigned(envelope) -> None:
    """The lead sends a part to this hall."""
    _run(part_copy_apply, origin=envelope.origin, snapshot=_payload(envelope))


@applier(WITHDRAW)
def part_withdrawn(envelope) -> None:
    """The lead took the part away from this hall (moved, deemed, cancelled)."""
    _run(part_copy_withdraw, origin=envelope.origin, payload=_payload(envelope))


@applier(OPINION)
def opinion_received(envelope) -> None:
    """At the lead: a department's opinion from the part's hall (late ones are refused)."""
    _run(part_opinion_receive, origin=envelope.origin, payload=_payload(envelope))


@applier("case.event", owned=True, copies=True)
def case_event_parts(envelope) -> None:
    """At the county: case events that carry parts keep the parts' read model."""
    if settings.HALL_TIER != "county":
        return
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件事件与消息聚合编号不符")
    if payload.get("site") != envelope.origin:
        raise Reject("办件事件的站点与消息来源不符")
    _run(part_records_apply, payload=payload)

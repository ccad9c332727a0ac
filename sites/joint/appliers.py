"""Message handlers of joint approvals (run by sync/ in the inbox transaction).

A refusal raises sync's Reject: the message is quarantined with the reason, not applied.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

from sites.cases.messages import CASE_EVENT, EVENT_TYPE
from sites.joint.copies import Refused, part_copy_apply, part_copy_withdraw
from sites.joint.outbound import ASSIGN, OPINION, WITHDRAW
from sites.joint.records import part_records_apply
from sites.joint.services import LateOpinion, part_opinion_receive
from sync.api import Bool, Date, DateTime, Int, List, Obj, Reject, Str, applier

# Against the columns of Part (and the case number they hang on), checked before any write.
_KEY = {"key": Str(max_length=110, blank=False), "generation": Int(min=1)}
ASSIGNED = Obj(
    _KEY
    | {
        "case_number": Str(max_length=64, blank=False),
        "lead_site": Str(max_length=40, blank=False),
        "site": Str(max_length=40, blank=False),
        "department": Str(max_length=40, blank=False),
        "item_code": Str(max_length=40),
        "item_name": Str(max_length=100),
        "applicant_name": Str(max_length=50),
        "materials": List(),
        "window": Str(max_length=20),
        "reviewer": Str(max_length=150),
        "budget_days": Int(max=32_767),
        "start": Date(),
        "deadline": Date(),
        "deadline_provisional": Bool(),
        "warning_from": Date(),
        "opened_at": DateTime(),
        "reassignments": List(),
    }
)
WITHDRAWN = Obj(_KEY | {"state": Str(max_length=12, blank=False)})
OPINION_GIVEN = Obj(
    _KEY
    | {
        "opinion": Str(max_length=12, blank=False),
        "materials": List(),
        "answered_at": DateTime(),
        "answered_by": Str(max_length=150, required=False),
        "reasons": Str(required=False),
    }
)


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


@applier(ASSIGN, payload=ASSIGNED)
def part_assigned(envelope) -> None:
    """The lead sends a part to this hall."""
    _run(part_copy_apply, origin=envelope.origin, snapshot=_payload(envelope))


@applier(WITHDRAW, payload=WITHDRAWN)
def part_withdrawn(envelope) -> None:
    """The lead took the part away from this hall (moved, deemed, cancelled)."""
    _run(part_copy_withdraw, origin=envelope.origin, payload=_payload(envelope))


@applier(OPINION, payload=OPINION_GIVEN)
def opinion_received(envelope) -> None:
    """At the lead: a department's opinion from the part's hall (late ones are refused)."""
    _run(part_opinion_receive, origin=envelope.origin, payload=_payload(envelope))


@applier(EVENT_TYPE, owned=True, copies=True, payload=CASE_EVENT)
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

"""Message handlers of joint approvals (run by sync/ in the inbox transaction).

A refusal raises sync's Reject: the message is quarantined with the reason, not applied.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.messages import CASE_EVENT, EVENT_TYPE
from sites.joint.copies import Refused, part_copy_apply, part_copy_withdraw
from sites.joint.models import Part
from sites.joint.outbound import ASSIGN, OPINION, WITHDRAW
from sites.joint.records import part_records_apply
from sites.joint.services import LateOpinion, part_opinion_receive
from sites.registry.models import Department, Site
from sites.registry.tier import only_where
from sync.api import List, Obj, Reject, applier, of


# Against the columns of Part (and the case number they hang on), checked before any write:
# each value's limits come from the model field it is written to (sync.schema.of).
def _f(model, name: str, **changes):
    return of(model._meta.get_field(name), **changes)


_KEY = {"key": _f(Part, "key", blank=False), "generation": _f(Part, "generation", min=1)}
ASSIGNED = Obj(
    _KEY
    | {
        "case_number": _f(Part, "case_number", blank=False),
        "lead_site": _f(Site, "code", blank=False),
        "site": _f(Site, "code", blank=False),
        "department": _f(Department, "code", blank=False),
        "item_code": _f(Part, "item_code"),
        "item_name": _f(Part, "item_name"),
        "applicant_name": _f(Part, "applicant_name"),
        "materials": List(),
        "window": _f(Part, "window_number"),
        "reviewer": _f(Part, "reviewer"),
        "budget_days": _f(Part, "budget_days"),
        "start": _f(Part, "start"),
        "deadline": _f(Part, "deadline"),
        "deadline_provisional": _f(Part, "deadline_provisional"),
        "warning_from": _f(Part, "warning_from"),
        "opened_at": _f(Part, "opened_at"),
        "reassignments": List(),
    }
)
WITHDRAWN = Obj(_KEY | {"state": _f(Part, "state", blank=False)})
OPINION_GIVEN = Obj(
    _KEY
    | {
        "opinion": _f(Part, "opinion", blank=False),
        "materials": List(),
        "answered_at": _f(Part, "answered_at", null=False),
        "answered_by": _f(Part, "answered_by", required=False),
        "reasons": _f(Part, "reasons", required=False),
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
@only_where("keeps_read_model")
def case_event_parts(envelope) -> None:
    """At the county: case events that carry parts keep the parts' read model."""
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件事件与消息聚合编号不符")
    if payload.get("site") != envelope.origin:
        raise Reject("办件事件的站点与消息来源不符")
    _run(part_records_apply, payload=payload)

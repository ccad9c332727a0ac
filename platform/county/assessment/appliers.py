"""At the county: points that follow from case events (it hears every case event), and the
ratings from every hall (a bad one opens the follow-up: county.assessment.feedback).

超时 (overdue) costs the case's hall-and-department window the rule's points; 逾期默认同意
(a joint part's deemed consent) costs the part's window the points the joint approval
recorded (sites.joint's rule, carried in the event). Source: the case number and event seq,
so a redelivered event records nothing new.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from county.assessment.announce import STAFF, STAFF_TYPE, WINDOW, WINDOW_TYPE
from county.assessment.feedback import rating_arrive
from county.assessment.services import (
    points_record,
    points_source_register,
    staff_ref,
    window_ref,
)
from county.catalogue.models import Item
from county.readmodel.models import CaseRecord
from sites.cases.messages import CASE_EVENT, EVENT_TYPE
from sites.delivery.messages import OUTSIDE, OUTSIDE_TYPE
from sites.feedback.appliers import RATING
from sites.feedback.models import Level
from sites.feedback.outbound import RATING_TYPE
from sites.registry.models import Site
from sites.registry.tier import only_where
from sync.api import Reject, applier, issuer_of


@applier(EVENT_TYPE, owned=True, copies=True, payload=CASE_EVENT)
@only_where("keeps_read_model")
def case_event_points(envelope) -> None:
    payload = envelope.payload if isinstance(envelope.payload, dict) else {}
    kind = payload.get("type")
    if kind not in ("overdue", "deemed_consent"):
        return

    at = parse_datetime(str(payload.get("at") or "")) or timezone.now()
    source_id = f"{payload.get('number')}#{payload.get('seq')}"
    case = payload.get("case") or {}
    if kind == "overdue":
        item = Item.objects.select_related("department").filter(code=case.get("item_code")).first()
        dept = item.department if item else None
        code = dept.code if dept else "unknown"
        window = window_ref(
            site_code=case.get("owner_site") or payload.get("site", ""),
            number=f"部门{code}",
            name=dept.name if dept else "",
            department_code=code,
            department_name=dept.name if dept else "",
        )
        points_record(
            window=window,
            rule="case_overdue",
            source_type="case_event",
            source_id=source_id,
            occurred_on=timezone.localdate(at),
            note=f"办件{payload.get('number')}超时",
        )
        return
    data = payload.get("data") or {}
    part = data.get("part") or {}
    dept = str(part.get("department") or "unknown")[:40]
    window = window_ref(
        site_code=str(part.get("site") or payload.get("site", ""))[:40],
        number=str(part.get("window") or f"部门{dept}")[:20],
        department_code=dept,
    )
    points = data.get("points")
    points_record(
        window=window,
        rule="deemed_consent",
        source_type="case_event",
        source_id=source_id,
        occurred_on=timezone.localdate(at),
        points=int(points) if isinstance(points, int) else None,
        note=f"联办件{payload.get('number')}逾期默认同意",
    )


# --- ratings from every hall ---------------------------------------------------------------


@applier(RATING_TYPE, payload=RATING)
def rating_received(envelope) -> None:
    payload = envelope.payload
    if payload["level"] not in Level.values or not payload["case_number"]:
        raise Reject("评价内容不完整")
    if payload["given_site"] != envelope.origin:
        raise Reject("评价站点与消息来源不符")
    if not _may_rate(envelope.origin, payload["case_number"]):
        # the first rating of a number stands: a hall may not pre-empt another's (issue 25)
        raise Reject(f"评价的办件或排队号不属于 {envelope.origin}")
    rating_arrive(payload=payload, origin=envelope.origin)


def _may_rate(origin: str, key: str) -> bool:
    """A served queue number ("PD-<hall>-...") is rated at its hall only; a case at a hall
    on its route as the county's read model knows it (filed, owning, deciding), or, before
    the read model has it, on the branch of the hall that issued its number (a case moves
    only up and down its branch of the tree)."""
    if key.startswith("PD-"):
        return issuer_of(key[3:]) == origin
    record = (
        CaseRecord.objects.filter(number=key)
        .only("origin_site", "owner_site", "decided_site")
        .first()
    )
    if record is not None:
        return origin in (record.origin_site, record.owner_site, record.decided_site)
    issuer = issuer_of(key)
    if issuer in (None, origin):
        return True
    paths = dict(Site.objects.filter(code__in=[issuer, origin]).values_list("code", "path"))
    if len(paths) < 2:
        return False
    return paths[origin].startswith(paths[issuer]) or paths[issuer].startswith(paths[origin])


@applier(WINDOW_TYPE, payload=WINDOW)
@only_where("keeps_read_model")
def window_announced(envelope) -> None:
    """A hall's window enters the county's assessed list (ranked from that day); a hall
    speaks only for its own windows."""
    payload = envelope.payload
    if payload["site_code"] != envelope.origin:
        raise Reject("窗口所属站点与消息来源不符")
    window_ref(**payload)


@applier(STAFF_TYPE, payload=STAFF)
@only_where("keeps_read_model")
def staff_announced(envelope) -> None:
    payload = envelope.payload
    if payload["site_code"] != envelope.origin:
        raise Reject("工作人员所属站点与消息来源不符")
    window = window_ref(site_code=payload["site_code"], number=payload["window_number"])
    staff_ref(
        site_code=payload["site_code"],
        username=payload["username"],
        name=payload["name"],
        window=window,
    )


# --- results handed out outside the window (seed 000 第十三条(四)) ---------------------------
# A result handed out outside the window costs the department's window the rule's points
# (assessment.points `not_collected_at_window`). Source: the case number, so a redelivered
# message records nothing new.

SOURCE = points_source_register("delivery", label="送达(未通过窗口取件)")


@applier(OUTSIDE_TYPE, payload=OUTSIDE)
@only_where("keeps_read_model")
def delivery_outside_points(envelope) -> None:
    payload = envelope.payload
    at = parse_datetime(str(payload["at"])) or timezone.now()
    code = payload["department"]
    window = window_ref(
        site_code=payload["site"],
        number=f"部门{code}"[:20],
        name=payload.get("department_name") or "",
        department_code=code,
        department_name=payload.get("department_name") or "",
    )
    points_record(
        window=window,
        rule="not_collected_at_window",
        source_type=SOURCE,
        source_id=payload["number"],
        occurred_on=timezone.localdate(at),
        note=f"办件{payload['number']}未通过窗口取件",
    )

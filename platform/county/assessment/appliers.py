"""Points that follow from case events, at the county (which hears every case event).

超时 (overdue) costs the case's hall-and-department window the rule's points; 逾期默认同意
(a joint part's deemed consent) costs the part's window the points the joint approval
recorded (sites.joint's rule, carried in the event). Source: the case number and event seq,
so a redelivered event records nothing new.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sites.cases.messages import CASE_EVENT, EVENT_TYPE
from sites.registry.tier import only_where
from sync.api import applier


@applier(EVENT_TYPE, owned=True, copies=True, payload=CASE_EVENT)
@only_where("keeps_read_model")
def case_event_points(envelope) -> None:
    payload = envelope.payload if isinstance(envelope.payload, dict) else {}
    kind = payload.get("type")
    if kind not in ("overdue", "deemed_consent"):
        return
    from county.assessment.services import points_record, window_ref
    from county.catalogue.models import Item

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

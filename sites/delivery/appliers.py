"""At the county: a result handed out outside the window costs the department's window the
rule's points (assessment.points `not_collected_at_window`, seed 000 第十三条(四)).
Source: the case number, so a redelivered message records nothing new."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from county.assessment.services import points_record, points_source_register, window_ref
from sites.delivery.messages import CHANGED, CHANGED_TYPE, OUTSIDE, OUTSIDE_TYPE
from sites.delivery.models import DeliveryRecord
from sync.api import applier

SOURCE = points_source_register("delivery", label="送达(未通过窗口取件)")


@applier(OUTSIDE_TYPE, payload=OUTSIDE)
def delivery_outside_points(envelope) -> None:
    if settings.HALL_TIER != "county":
        return
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


@applier(CHANGED_TYPE, payload=CHANGED)
def delivery_changed_record(envelope) -> None:
    """The county's record of the delivery, as last heard (messages per hall and case come
    in order: one chain per `<case>/delivery/<hall>`)."""
    if settings.HALL_TIER != "county":
        return
    p = envelope.payload
    DeliveryRecord.objects.update_or_create(
        number=p["number"],
        defaults={
            "site_code": p["site"],
            "site_name": p.get("site_name") or "",
            "department_code": p.get("department") or "",
            "status": p["status"],
            "method": p.get("method") or "",
            "ready_at": parse_datetime(str(p["ready_at"])),
            "collect_by": p["collect_by"],
            "delivered_at": parse_datetime(str(p["delivered_at"]))
            if p.get("delivered_at")
            else None,
        },
    )

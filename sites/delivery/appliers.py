"""At the county: the record of each case's delivery, as last heard from the delivering hall
(the points for a result handed out outside the window are county.assessment's:
county/assessment/appliers.py delivery_outside_points)."""

from __future__ import annotations

from django.utils.dateparse import parse_datetime

from sites.delivery.messages import CHANGED, CHANGED_TYPE
from sites.delivery.models import DeliveryRecord
from sites.registry.tier import only_where
from sync.api import applier


@applier(CHANGED_TYPE, payload=CHANGED)
@only_where("keeps_read_model")
def delivery_changed_record(envelope) -> None:
    """The county's record of the delivery, as last heard (messages per hall and case come
    in order: one chain per `<case>/delivery/<hall>`)."""
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

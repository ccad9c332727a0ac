"""The one delivery message between halls: a result handed out outside the window, heard
by the county's assessment (seed 000 第十三条(四)). Limits come from the model fields."""

from __future__ import annotations

from sites.cases.models import Case
from sites.delivery.models import Delivery
from sites.registry.models import Department, Site
from sync.api import Obj, of

OUTSIDE_TYPE = "delivery.outside"
# Every change of a delivery (opened at 办结, collected, posted, outside): the county keeps
# one DeliveryRecord per case for the citizen's query and the statistics of every hall.
CHANGED_TYPE = "delivery.changed"


def _f(model, name: str, **changes):
    return of(model._meta.get_field(name), **changes)


OUTSIDE = Obj(
    {
        "number": _f(Case, "number", blank=False),
        "site": _f(Site, "code", blank=False),
        "site_name": _f(Site, "name"),
        "department": _f(Department, "code", blank=False),
        "department_name": _f(Department, "name"),
        "at": _f(Case, "concluded_at", null=False),
    }
)


CHANGED = Obj(
    {
        "number": _f(Case, "number", blank=False),
        "site": _f(Site, "code", blank=False),
        "site_name": _f(Site, "name"),
        "department": _f(Department, "code"),
        "status": _f(Delivery, "status", blank=False),
        "method": _f(Delivery, "method"),
        "ready_at": _f(Delivery, "ready_at"),
        "collect_by": _f(Delivery, "collect_by"),
        "delivered_at": _f(Delivery, "delivered_at"),
    }
)


def changed_payload(delivery: Delivery) -> dict:
    department = delivery.department
    return {
        "number": delivery.case.number,
        "site": delivery.site.code,
        "site_name": delivery.site.name,
        "department": department.code if department else "",
        "status": delivery.status,
        "method": delivery.method,
        "ready_at": delivery.ready_at.isoformat(),
        "collect_by": delivery.collect_by.isoformat(),
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
    }

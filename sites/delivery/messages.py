"""The one delivery message between halls: a result handed out outside the window, heard
by the county's assessment (seed 000 第十三条(四)). Limits come from the model fields."""

from __future__ import annotations

from sites.cases.models import Case
from sites.registry.models import Department, Site
from sync.api import Obj, of

OUTSIDE_TYPE = "delivery.outside"


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

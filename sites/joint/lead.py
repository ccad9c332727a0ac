"""The 联办件's lead window (牵头窗口), chosen by the centre per item (seed 001 第十条(三):
「对联办件由中心根据其性质确定牵头窗口」): county rule data, set for "item:<code>"; the
default (no department named) keeps the accepting window, the item's own department.

The lead department takes in, opens the parts and countersigns; every other department of
the item (its own department included, when it is not the lead) gives an opinion in a part.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from county.rules.registry import rule_register
from county.rules.selectors import rule_value
from sites.registry.models import Department, Site, Window

LEAD_KEY = "joint.lead"


def _lead_check(value: dict) -> None:
    code = str(value["department"]).strip()
    if code and not Department.objects.filter(code=code).exists():
        raise ValidationError({"department": f"未知部门编码：{code}。"})


LEAD = rule_register(
    key=LEAD_KEY,
    label="联办件牵头窗口",
    default={"department": ""},
    labels={
        "department": "牵头部门编码(按事项设置 item:事项编码；空：受理窗口即事项主管部门窗口牵头)",
    },
    source="seed 001 第十条(三)：对联办件由中心根据其性质确定牵头窗口",
    check=_lead_check,
)


def lead_department(version) -> Department:
    """The department leading a joint case of `version`: the item's rule when it names one
    of the item's departments, else the item's own (the accepting window)."""
    code = str(rule_value(LEAD_KEY, scopes=(f"item:{version.item.code}",))["department"])
    if code.strip() and code.strip() != version.department.code:
        found = version.co_departments.filter(code=code.strip()).first()
        if found is not None:
            return found
    return version.department


def part_departments(version, lead: Department) -> list[Department]:
    """Who gives an opinion: every department of the item but the lead, by code."""
    found = {d.code: d for d in version.co_departments.all()}
    found[version.department.code] = version.department
    found.pop(lead.code, None)
    return [found[code] for code in sorted(found)]


def lead_window(*, site: Site, lead: Department, accepting: Window | None) -> Window | None:
    """The lead's window at this hall when the centre chose a lead other than the item's
    own department: the accepting one when it is the lead's, else the lead department's
    first window here (none: the case keeps the accepting window)."""
    if accepting is not None and accepting.department_id == lead.pk:
        return accepting
    return Window.objects.filter(site=site, department=lead).order_by("number").first() or accepting

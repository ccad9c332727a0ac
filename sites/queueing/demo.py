"""The demo's windows, so each hall's kiosk, calling page and big screen have something to
show (`hall node --demo-accounts`)."""

from __future__ import annotations

from sites.registry.models import Department, Site, Tier
from sites.registry.services import window_open

DEMO_WINDOWS = {
    Tier.COUNTY: ["mzj", "rsj", "scjg", "gaj"],
    Tier.TOWNSHIP: ["mzj", "rsj"],
    Tier.VILLAGE: ["mzj"],
}


def demo_windows_ensure(*, site: Site) -> int:
    codes = DEMO_WINDOWS.get(site.tier, [])
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    for number, code in enumerate(codes, start=1):
        if code in departments:
            dept = departments[code]
            window_open(site=site, department=dept, number=str(number), name=f"{dept.name}窗口")
    return len(departments)

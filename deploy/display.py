"""Values as people read them, for every template (a builtin, like sites/registry/timefmt.py).

`|people_value`: 是/否 for switches, — for nothing, the rest as it is; `|seed_names`: the
regulations the rules cite ("seed 002") by their titles.
"""

from __future__ import annotations

import re

from django import template

register = template.Library()

# The county's source regulations (/work/shared/seeds in the project's history), by number.
SEEDS = {
    "000": "《政务大厅运行动员会讲话》",
    "001": "《政务大厅管理制度》",
    "002": "《政务大厅工作考核制度》",
    "003": "《政务服务中心工作发言》",
    "004": "《“优质服务窗口”评选办法》",
}
SEED = re.compile(r"seed\s*(\d{3})\s*")


@register.filter(name="people_value")
def people_value(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None or value == "":
        return "—"
    return str(value)


@register.filter(name="seed_names")
def seed_names(text) -> str:
    """'seed 001 第三十条' -> '《政务大厅管理制度》第三十条'."""
    return SEED.sub(lambda m: SEEDS.get(m.group(1), "文件规定"), str(text or ""))


@register.filter(name="site_name")
def site_name(code) -> str:
    """A hall by its name ("马鞍镇便民服务中心"), not its code ("t-maan")."""
    from sites.registry.models import Site  # noqa: PLC0415  (templates load before apps are ready)

    name = Site.objects.filter(code=code).values_list("name", flat=True).first()
    return name or str(code or "")

from django import template

from county.supervision.access import feed_codes
from permissions.access import AccessDenied
from sites.registry.selectors import site_current

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> str:
    """A figure for a table cell: rates as percentages, days with two decimals, — for none."""
    value = row.get(key)
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, key)


@register.simple_tag(takes_context=True)
def may_watch(context) -> bool:
    """The supervision menu's 监察统计 and 预警: only for those the pages let in (the lights
    feed's own check: a supervisor at the county, staff who view the cases at a hall)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    try:
        feed_codes(user=request.user, here=site_current())
    except AccessDenied:
        return False
    return True

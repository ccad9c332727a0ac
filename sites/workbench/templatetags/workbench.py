"""People's times and masking in templates. A local stand-in for the platform's people's-time
filter (branch uiinfra); the coordinator swaps it in when merging."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from sites.cases.identity import mask_id_number, mask_phone
from sites.queueing.access import can_call_tickets
from sites.registry.selectors import site_current

register = template.Library()


@register.filter
def people_time(value) -> str:
    """Beijing time in Chinese form: 2026年12月2日 15:30."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, str):  # ISO dates kept in JSON (e.g. 容缺 due dates)
        try:
            return people_time(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return str(value)


@register.filter
def masked_id(value: str) -> str:
    return mask_id_number(value or "")


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value or "")


@register.simple_tag(takes_context=True)
def may_call(context) -> bool:
    """叫号 and 预审 in the workbench menu: only for those the pages let in (the same check)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return can_call_tickets(user=request.user, site=site_current())

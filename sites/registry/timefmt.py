"""People's times: Beijing time in Chinese form, the one place pages and notices format it.

"2026年12月2日 15:58" for moments, "2026年12月2日" for dates. Accepts datetimes, dates and the
ISO 8601 strings the county's GraphQL answers carry. The API itself keeps ISO 8601.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


def _parse(value):
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            return None
    return value


@register.filter(name="people_time")
def people_time(value) -> str:
    """A moment in Beijing time: 2026年12月2日 15:58 (a bare date renders as a date)."""
    value = _parse(value)
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        return people_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.filter(name="people_date")
def people_date(value) -> str:
    """A calendar day: 2026年12月2日 (a moment is taken in Beijing time first)."""
    value = _parse(value)
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"

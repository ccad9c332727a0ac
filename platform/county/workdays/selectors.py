"""Reads of the calendar: the calendar in force, cached per process until it changes."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max

from county.workdays.clock import WorkCalendar, WorkCalendarCache, WorkingCount, WorkingDate
from county.workdays.models import CalendarDay, CalendarYear, DayKind

_cache = WorkCalendarCache()


def calendar_current() -> WorkCalendar:
    """The calendar as the database holds it now (one cheap query when unchanged)."""
    stamp = CalendarYear.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    stamp = (stamp["n"], stamp["at"], CalendarDay.objects.count())
    return _cache.get(stamp, _calendar_build)


def _calendar_build() -> WorkCalendar:
    off, work = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (work if kind == DayKind.WORK else off).add(day)
    years = set(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(frozenset(off), frozenset(work), frozenset(years))


def add_working_days(start: date, days: int) -> WorkingDate:
    return calendar_current().add_working_days(start, days)


def working_days_between(start: date, end: date) -> WorkingCount:
    return calendar_current().working_days_between(start, end)

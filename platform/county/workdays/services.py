"""Writes to the calendar: seeding from chinese-calendar and entering a newly announced year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import chinese_calendar
from django.core.exceptions import ValidationError

from county.catalogue.release import catalogue_change, catalogue_changed
from county.workdays.models import CalendarDay, CalendarSource, CalendarYear, DayKind


def _library_years() -> list[int]:
    return sorted({d.year for d in chinese_calendar.holidays})


@catalogue_change()  # the calendar is a county rule: it reaches the halls in a release
def calendar_seed_from_library(*, years: Iterable[int] | None = None) -> list[int]:
    """Load holidays and make-up days for the years chinese-calendar knows.

    A year already entered by hand is left alone: the county's word wins.
    """
    wanted = sorted(set(years) if years is not None else _library_years())
    known = set(_library_years())
    seeded = []
    for year in wanted:
        if year not in known:
            continue
        existing = CalendarYear.objects.filter(year=year).first()
        if existing and existing.source == CalendarSource.MANUAL:
            continue
        off = {d: n for d, n in chinese_calendar.holidays.items() if d.year == year}
        work = {d: n for d, n in chinese_calendar.workdays.items() if d.year == year}
        if existing is None or _days(existing) != _days_of(off, work):
            # Unchanged years are left as they are: a restart cuts no release.
            _year_replace(year, off, work, CalendarSource.LIBRARY, "chinese-calendar")
        seeded.append(year)
    return seeded


@catalogue_change()
def calendar_year_set(
    *, year: int, off_days: dict[date, str], work_days: dict[date, str], notice: str
) -> CalendarYear:
    """Enter a year as announced by the State Council (replaces what was there)."""
    for name, days in (("off_days", off_days), ("work_days", work_days)):
        wrong = sorted(d for d in days if d.year != year)
        if wrong:
            raise ValidationError({name: f"{wrong[0]} 不属于 {year} 年。"})
    both = set(off_days) & set(work_days)
    if both:
        raise ValidationError({"work_days": f"{min(both)} 不能既放假又调休上班。"})
    return _year_replace(year, off_days, work_days, CalendarSource.MANUAL, notice)


def _year_replace(year, off, work, source, notice) -> CalendarYear:
    row, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "notice": notice}
    )
    row.days.all().delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(year=row, date=d, kind=DayKind.OFF, name=_name(n)) for d, n in off.items()]
        + [CalendarDay(year=row, date=d, kind=DayKind.WORK, name=_name(n)) for d, n in work.items()]
    )
    catalogue_changed()
    return row


def _days(row: CalendarYear) -> set[tuple]:
    return set(row.days.values_list("date", "kind", "name"))


def _days_of(off: dict, work: dict) -> set[tuple]:
    return {(d, DayKind.OFF, _name(n)) for d, n in off.items()} | {
        (d, DayKind.WORK, _name(n)) for d, n in work.items()
    }


HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _name(value: str | None) -> str:
    """chinese-calendar names holidays in English; the hall shows Chinese."""
    return HOLIDAY_NAMES.get(value or "", value or "")[:30]

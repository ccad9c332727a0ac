"""A hall's day: the Beijing calendar date, and the periods of it the rules open.

Explicitly Asia/Shanghai (not the process's zone): a node run with TZ=UTC or a test under
another zone still restarts its numbers at the hall's opening, never at UTC midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def hall_day(at: datetime) -> date:
    """The hall's business day of an aware moment."""
    return at.astimezone(BEIJING).date()


def _clock(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def at_local(day: date, text: str) -> datetime:
    return datetime.combine(day, _clock(text), tzinfo=BEIJING)


@dataclass(frozen=True)
class Period:
    starts_at: datetime
    ends_at: datetime


def day_periods(day: date, hours: dict) -> list[Period]:
    """The bookable periods of a day from the hours rule, skipping the lunch break."""
    step = timedelta(minutes=int(hours["slot_minutes"]))
    opens, closes = at_local(day, hours["open"]), at_local(day, hours["close"])
    lunch = (at_local(day, hours["lunch_start"]), at_local(day, hours["lunch_end"]))
    out, start = [], opens
    while start + step <= closes:
        end = start + step
        if not (start < lunch[1] and end > lunch[0]):
            out.append(Period(start, end))
            start = end
        else:
            start = max(end, lunch[1]) if end <= lunch[1] else lunch[1]
    return out

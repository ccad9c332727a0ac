"""Working-day arithmetic: the one place that counts working days.

A year with an announced calendar uses it; any other year falls back to Monday–Friday
and the result is marked provisional. Nothing here raises for an unknown year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkingDate:
    date: date
    provisional: bool  # some day counted lies in a year with no announced calendar


@dataclass(frozen=True)
class WorkingCount:
    days: int
    provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    off: frozenset[date] = frozenset()
    work: frozenset[date] = frozenset()
    years: frozenset[int] = frozenset()
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def knows(self, day: date) -> bool:
        return day.year in self.years

    def is_working_day(self, day: date) -> bool:
        if day in self.work:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> WorkingDate:
        """The date `days` working days after `start` (start itself not counted).

        Zero days is the same day: an instant item is due the day it is accepted.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        key = ("add", start, days)
        if key in self._memo:
            return self._memo[key]
        provisional = not self.knows(start)
        day, left = start, days
        while left:
            day += ONE_DAY
            provisional = provisional or not self.knows(day)
            if self.is_working_day(day):
                left -= 1
        result = WorkingDate(day, provisional)
        if len(self._memo) < 200_000:  # deadlines repeat a lot: same day, same budget
            self._memo[key] = result
        return result

    def working_days_between(self, start: date, end: date) -> WorkingCount:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            count = self.working_days_between(end, start)
            return WorkingCount(-count.days, count.provisional)
        provisional = not (self.knows(start) and self.knows(end))
        days, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                days += 1
        return WorkingCount(days, provisional)


@dataclass(frozen=True)
class ClockReading:
    """A case clock derived from its ledger on a given day."""

    deadline: date | None  # None while not started or suspended
    provisional: bool
    used: int  # working days used, suspensions excluded
    left: int | None  # budget + extensions - used; negative when overdue
    state: str  # not_started | on_time | warning | overdue | suspended | stopped


def clock_read(
    calendar: WorkCalendar,
    *,
    start: date | None,
    budget: int,
    extensions: int = 0,
    suspensions: tuple[tuple[date, date | None], ...] = (),
    today: date,
    stopped_on: date | None = None,
    warning_days: int = 1,
) -> ClockReading:
    """Derive deadline, days used and left and the state from a case's ledger.

    A suspension (补正) runs from the notice day to the day materials are complete; the
    working days in (notice, complete] do not count and push the deadline out as many
    working days. An open suspension stops the clock: no deadline until it ends.
    """
    if start is None:
        return ClockReading(None, False, 0, None, "not_started")
    total = budget + extensions
    end = stopped_on or today
    provisional = False
    paused = 0
    open_since = None
    for since, until in suspensions:
        if until is None:
            open_since = since
            continue
        count = calendar.working_days_between(since, until)
        paused += max(count.days, 0)
        provisional = provisional or count.provisional
    counted_to = min(end, open_since) if open_since else end
    elapsed = calendar.working_days_between(start, counted_to) if counted_to > start else None
    used = max((elapsed.days if elapsed else 0) - paused, 0)
    provisional = provisional or bool(elapsed and elapsed.provisional)
    left = total - used
    if open_since is not None and stopped_on is None:
        return ClockReading(None, provisional, used, left, "suspended")
    due = calendar.add_working_days(start, total + paused)
    provisional = provisional or due.provisional
    if stopped_on is not None:
        state = "stopped"
    elif today > due.date:
        state = "overdue"
    elif left <= warning_days:
        state = "warning"
    else:
        state = "on_time"
    return ClockReading(due.date, provisional, used, left, state)


class WorkCalendarCache:
    """Keeps one built calendar per process, rebuilt when the stamp changes."""

    def __init__(self) -> None:
        self._stamp: object = None
        self._calendar: WorkCalendar | None = None

    def get(self, stamp: object, build) -> WorkCalendar:
        if self._calendar is None or stamp != self._stamp:
            self._calendar, self._stamp = build(), stamp
        return self._calendar

"""The case clock across holidays, make-up days, suspensions, extensions and unknown years."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from county.rules.carried import rules_apply
from county.workdays.clock import WorkCalendar, clock_read
from sites.cases.models import CaseEvent, ClockEntry
from sites.cases.supervision import case_clocks_refresh
from tests.cases.factories import at, case_make, clerk

# 2026 National Day: 1–7 October off (Thu–Wed), 8 October off, Sat 10 October a make-up day.
NATIONAL_DAY = WorkCalendar(
    off=frozenset(date(2026, 10, d) for d in range(1, 9)),
    work=frozenset({date(2026, 9, 27), date(2026, 10, 10)}),
    years=frozenset({2026}),
)


def read(**kw):
    kw.setdefault("budget", 5)
    kw.setdefault("start", date(2026, 9, 29))  # Tuesday
    return clock_read(NATIONAL_DAY, **kw)


def test_deadline_skips_the_holiday_and_counts_the_make_up_day():
    # Wed 30 Sep is day 1; 1–8 Oct off; Fri 9 = 2, Sat 10 (make-up) = 3, Mon 12 = 4, Tue 13 = 5
    reading = read(today=date(2026, 9, 29))
    assert reading.deadline == date(2026, 10, 13)
    assert (reading.used, reading.left, reading.state, reading.provisional) == (
        0,
        5,
        "on_time",
        False,
    )


def test_warning_and_overdue_follow_the_threshold():
    assert read(today=date(2026, 10, 12)).state == "warning"  # 1 day left
    assert read(today=date(2026, 10, 12), warning_days=0).state == "on_time"
    late = read(today=date(2026, 10, 14))
    assert late.state == "overdue" and late.left == -1


def test_suspension_does_not_count_and_moves_the_deadline():
    # notice Wed 30 Sep, complete Sat 10 Oct: working days (30 Sep, 10 Oct] = 9, 10 → 2 days
    closed = read(suspensions=((date(2026, 9, 30), date(2026, 10, 10)),), today=date(2026, 10, 12))
    assert closed.deadline == date(2026, 10, 15) and closed.used == 2
    still = read(suspensions=((date(2026, 9, 30), None),), today=date(2026, 10, 20))
    assert (still.state, still.deadline, still.used) == ("suspended", None, 1)


def test_extension_adds_working_days():
    assert read(extensions=2, today=date(2026, 10, 12)).deadline == date(2026, 10, 15)


def test_unknown_year_falls_back_to_weekdays_and_is_provisional():
    reading = read(start=date(2026, 12, 28), today=date(2026, 12, 28))
    # Tue 29, Wed 30, Thu 31 (2026), then Fri 1 Jan and Mon 4 Jan 2027 (unknown: Mon–Fri)
    assert reading.deadline == date(2027, 1, 4) and reading.provisional


def test_stopped_clock_counts_to_the_stop_day():
    reading = read(today=date(2026, 11, 30), stopped_on=date(2026, 10, 12))
    assert (reading.state, reading.used) == ("stopped", 4)


def test_instant_budget_is_due_the_same_day():
    reading = read(budget=0, today=date(2026, 9, 29))
    assert reading.deadline == date(2026, 9, 29) and reading.left == 0


# ---------------------------------------------------------------- the periodic tick


@pytest.mark.django_db
def test_tick_marks_newly_overdue_cases_once(township):
    user = clerk(township)
    late = case_make(by=user, state="accepted", when=at(30))  # 7-day budget, long gone
    fresh = case_make(by=user, state="accepted")
    # the stored state says on time (as before the deadline passed)
    type(late).objects.filter(pk=late.pk).update(clock_state="on_time")
    first = case_clocks_refresh()
    assert first["overdue"] == 1 and first["checked"] == 2
    late.refresh_from_db()
    assert late.clock_state == "overdue"
    assert late.events.last().type == "overdue"
    again = case_clocks_refresh()
    assert again == {"checked": 2, "changed": 0, "overdue": 0}
    assert CaseEvent.objects.filter(type="overdue").count() == 1
    fresh.refresh_from_db()
    assert fresh.clock_state == "on_time"


@pytest.mark.django_db
def test_tick_uses_the_county_warning_rule(township):
    """The county's e-supervision threshold, as a release brings it to the township."""
    user = clerk(township)
    case = case_make(by=user, state="accepted")
    case_clocks_refresh()
    case.refresh_from_db()
    assert case.clock_state == "on_time"
    value = {"warning_days": 30}
    rules_apply([{"key": "supervision.thresholds", "scope": "", "revision": 1, "value": value}])
    case_clocks_refresh()
    case.refresh_from_db()
    assert case.clock_state == "warning"


@pytest.mark.django_db
def test_tick_leaves_suspended_clocks_stopped(township):
    user = clerk(township)
    case = case_make(by=user, state="suspended", when=at(30))
    case_clocks_refresh(today=timezone.localdate() + timedelta(days=60))
    case.refresh_from_db()
    assert case.clock_state == "suspended" and case.deadline is None
    assert ClockEntry.objects.filter(case=case, kind="suspension", end__isnull=True).count() == 1

"""The case clock: read the ledger through the county calendar, store the derived fields."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from county.rules.selectors import rule_value
from county.workdays.clock import ClockReading, WorkCalendar, clock_read
from county.workdays.selectors import calendar_current
from sites.cases.models import Case, ClockEntry, LedgerKind

DEFAULT_WARNING_DAYS = 1
# The county's e-supervision thresholds (county.supervision.rules): one rule for the case's
# yellow light and for the supervisors' alerts, carried to every hall by the release.
THRESHOLDS_RULE = "supervision.thresholds"


def clock_rule_warning_days() -> int:
    return rule_value(THRESHOLDS_RULE)["warning_days"]


def ledger_args(entries) -> dict:
    """Budget, extensions and suspensions of one case's ledger entries."""
    budget, extensions, suspensions = 0, 0, []
    start = None
    for entry in entries:
        if entry.kind == LedgerKind.BUDGET:
            # A later budget is a restart (补办件, seed 001 第十条(五)): the full limit counts
            # again from its day, and the suspensions before it no longer matter.
            budget, start = entry.days, entry.start
            suspensions = []
        elif entry.kind == LedgerKind.EXTENSION:
            extensions += entry.days
        else:
            suspensions.append((entry.start, entry.end))
    return {
        "start": start,
        "budget": budget,
        "extensions": extensions,
        "suspensions": tuple(suspensions),
    }


def case_clock_read(
    *,
    case: Case,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
    warning_days: int | None = None,
) -> ClockReading:
    calendar = calendar or calendar_current()
    today = today or timezone.localdate()
    stopped = timezone.localdate(case.closed_at) if case.closed_at else None
    return clock_read(
        calendar,
        **ledger_args(
            ClockEntry.objects.filter(case=case).order_by("start", "id") if case.pk else ()
        ),
        today=today,
        stopped_on=stopped,
        warning_days=DEFAULT_WARNING_DAYS if warning_days is None else warning_days,
    )


def clock_apply(case: Case, reading: ClockReading) -> bool:
    """Copy a reading onto the case; True when something changed."""
    new = (reading.deadline, reading.provisional, reading.state, reading.used, reading.left)
    old = (
        case.deadline,
        case.deadline_provisional,
        case.clock_state,
        case.days_used,
        case.days_left,
    )
    if new == old:
        return False
    (
        case.deadline,
        case.deadline_provisional,
        case.clock_state,
        case.days_used,
        case.days_left,
    ) = new
    return True


def case_clock_refresh(*, case: Case, today: date | None = None) -> ClockReading:
    """Recompute the stored clock of one case (the caller saves it)."""
    reading = case_clock_read(case=case, today=today, warning_days=clock_rule_warning_days())
    clock_apply(case, reading)
    return reading

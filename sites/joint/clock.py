"""A part's own clock: its budget in working days from its start (clock.py counts)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from county.workdays.selectors import calendar_current
from sites.cases.clocks import clock_rule_warning_days
from sites.joint.models import JointRule, Part, PartState

DEFAULT_RULE = JointRule(deemed_points=5, restart_on_reassign=False)


def joint_rule() -> JointRule:
    return JointRule.objects.order_by("-updated_at").first() or DEFAULT_RULE


def part_clock_set(part: Part, *, start: date, budget: int) -> None:
    """Start (or restart) the clock: deadline, and the first day of the warning (预警)."""
    calendar = calendar_current()
    due = calendar.add_working_days(start, budget)
    warning = calendar.add_working_days(start, max(budget - clock_rule_warning_days(), 0))
    part.start, part.budget_days = start, budget
    part.deadline, part.deadline_provisional = due.date, due.provisional
    # From this day on the working days left are at most the warning threshold: stored as a
    # date so that "stalled" is a plain indexed filter, however many parts there are.
    part.warning_from = warning.date


def part_clock_state(part, *, today: date | None = None) -> str:
    """on_time / warning / overdue from the stored dates; stopped once answered or deemed.
    Works on a Part or a PartRecord and needs no query (lists stay one query)."""
    if part.state != PartState.OPEN:
        return "stopped"
    today = today or timezone.localdate()
    if today > part.deadline:
        return "overdue"
    return "warning" if today >= part.warning_from else "on_time"

"""Reads of appointments and queues: open slots, the board, the display, statistics."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from county.workdays.selectors import calendar_current
from sites.queueing.days import BEIJING, day_periods, hall_day
from sites.queueing.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Ticket,
    TicketSource,
    TicketStatus,
)
from sites.queueing.rules import hours_for
from sites.registry.models import Department, Site


@dataclass(frozen=True)
class SlotView:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def key(self) -> str:
        return self.starts_at.isoformat()


def booking_days(*, site: Site, department: Department, at: datetime | None = None) -> list[date]:
    """The working days one may book now: today while a period of it is still ahead, and
    the next `days_ahead` working days."""
    at = at or timezone.now()
    hours = hours_for(site_code=site.code, department_code=department.code)
    calendar = calendar_current()
    today = hall_day(at)
    ahead = any(p.starts_at > at for p in day_periods(today, hours))
    days = [today] if calendar.is_working_day(today) and ahead else []
    day = today
    for _ in range(int(hours["days_ahead"])):
        day = calendar.add_working_days(day, 1).date
        days.append(day)
    return days


def slots_for_day(
    *, site: Site, department: Department, day: date, at: datetime | None = None
) -> list[SlotView]:
    """The day's periods still ahead, with what is booked (rows exist only once booked)."""
    at = at or timezone.now()
    if not calendar_current().is_working_day(day):
        return []
    hours = hours_for(site_code=site.code, department_code=department.code)
    rows = {
        s.starts_at: s
        for s in AppointmentSlot.objects.filter(site=site, department=department, day=day)
    }
    out = []
    for p in day_periods(day, hours):
        if p.starts_at <= at:
            continue
        row = rows.get(p.starts_at)
        capacity = row.capacity if row else int(hours["capacity"])
        out.append(SlotView(p.starts_at, p.ends_at, capacity, row.booked if row else 0))
    return out


def queue_board(*, site: Site, at: datetime | None = None) -> list[dict]:
    """Per department with windows here: how many wait now (the kiosk's buttons)."""
    day = hall_day(at or timezone.now())
    waiting = dict(
        Ticket.objects.filter(site=site, day=day, status=TicketStatus.WAITING)
        .values_list("department_id")
        .annotate(n=Count("id"))
    )
    departments = departments_served(site=site)
    return [{"department": d, "waiting": waiting.get(d.id, 0)} for d in departments]


def departments_served(*, site: Site):
    """Departments with a window here, their own or as part of a 综合窗口."""
    served = Q(windows__site=site) | Q(combined_windows__site=site)
    return Department.objects.filter(served).distinct().order_by("code")


def ticket_ahead(ticket: Ticket) -> int:
    """How many are called before this ticket (same order as call-next)."""
    if ticket.status != TicketStatus.WAITING:
        return 0
    return (
        Ticket.objects.filter(
            site_id=ticket.site_id,
            day=ticket.day,
            department_id=ticket.department_id,
            status=TicketStatus.WAITING,
        )
        .filter(
            Q(priority__gt=ticket.priority)
            | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
            | Q(priority=ticket.priority, queued_at=ticket.queued_at, id__lt=ticket.id)
        )
        .count()
    )


def display_calls(*, site: Site, at: datetime | None = None, limit: int = 8) -> list[dict]:
    """The latest calls of the day for the hall's big screen; `key` changes on a recall,
    so the screen speaks a recalled number again."""
    day = hall_day(at or timezone.now())
    rows = (
        Ticket.objects.filter(site=site, day=day, last_called_at__isnull=False)
        .select_related("window")
        .order_by("-last_called_at", "-id")[:limit]
    )
    return [
        {
            "key": f"{t.id}-{t.call_count}",
            "label": t.label,
            "window": t.window.number if t.window else "",
            "status": t.status,
            "text": f"请{' '.join(t.label)}号到{t.window.number if t.window else ''}号窗口办理",
        }
        for t in rows
    ]


def window_current(*, window, at: datetime | None = None) -> Ticket | None:
    day = hall_day(at or timezone.now())
    return (
        Ticket.objects.filter(window=window, day=day, status=TicketStatus.CALLED)
        .order_by("-last_called_at")
        .first()
    )


def window_last_served(*, window, at: datetime | None = None) -> Ticket | None:
    """The window's latest number served today: its rating link stays on the calling page."""
    day = hall_day(at or timezone.now())
    return (
        Ticket.objects.filter(window=window, day=day, status=TicketStatus.DONE)
        .order_by("-finished_at")
        .first()
    )


def rating_url(ticket: Ticket) -> str:
    """The rating link opened after service: the setting HALL_QUEUE_RATING_URL with {token}
    and {label} (by default sites/feedback's /pingjia/paidui/{token}/); empty: no link."""
    template = getattr(settings, "HALL_QUEUE_RATING_URL", "")
    if not template or ticket.status != TicketStatus.DONE:
        return ""
    return template.format(token=ticket.token, label=ticket.label)


def appointment_for(*, site: Site, code: str, phone: str) -> Appointment | None:
    return (
        Appointment.objects.select_related("slot", "department")
        .filter(site=site, code=(code or "").strip().upper(), phone=(phone or "").strip())
        .first()
    )


# ---------------------------------------------------------------- statistics


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (what a report states: p95 = 95% waited at most this)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def _summary(waits: list[float]) -> dict:
    p50, p95 = _percentile(waits, 0.5), _percentile(waits, 0.95)
    return {
        "called": len(waits),
        "wait_p50_min": round(p50 / 60, 1) if p50 is not None else None,
        "wait_p95_min": round(p95 / 60, 1) if p95 is not None else None,
    }


def queue_statistics(
    *, site: Site, day_from: date, day_to: date, at: datetime | None = None
) -> dict:
    """Waiting time p50/p95 (minutes, take to first call) per department and per hour
    (Beijing), serving time p50 (last call to done), tickets taken, served, skipped,
    unserved (still waiting when their day was over: the hall closed before their turn) and
    appointment no-shows (booked, never checked in, slot over). Plain data: the page shows
    it; a county dashboard can ask each hall for it (it reads only this hall's tables)."""
    at = at or timezone.now()
    today = hall_day(at)
    tickets = Ticket.objects.filter(site=site, day__gte=day_from, day__lte=day_to).values(
        "department__code",
        "department__name",
        "taken_at",
        "called_at",
        "last_called_at",
        "finished_at",
        "status",
        "source",
        "day",
    )
    by_dept: dict[str, dict] = {}
    waits_dept: dict[str, list[float]] = defaultdict(list)
    waits_hour: dict[tuple[str, int], list[float]] = defaultdict(list)
    all_waits: list[float] = []
    serves_dept: dict[str, list[float]] = defaultdict(list)
    for t in tickets:
        code = t["department__code"]
        row = by_dept.setdefault(
            code,
            {
                "code": code,
                "name": t["department__name"],
                "taken": 0,
                "served": 0,
                "skipped": 0,
                "unserved": 0,
                "appointments": 0,
            },
        )
        row["taken"] += 1
        row["served"] += t["status"] == TicketStatus.DONE
        row["skipped"] += t["status"] == TicketStatus.SKIPPED
        row["unserved"] += t["status"] == TicketStatus.WAITING and t["day"] < today
        row["appointments"] += t["source"] == TicketSource.APPOINTMENT
        if t["called_at"] is not None:
            wait = (t["called_at"] - t["taken_at"]).total_seconds()
            hour = t["taken_at"].astimezone(BEIJING).hour
            waits_dept[code].append(wait)
            waits_hour[(code, hour)].append(wait)
            all_waits.append(wait)
        if t["status"] == TicketStatus.DONE and t["finished_at"] and t["last_called_at"]:
            serves_dept[code].append((t["finished_at"] - t["last_called_at"]).total_seconds())
    no_show_rows = (
        Appointment.objects.filter(
            site=site,
            day__gte=day_from,
            day__lte=day_to,
            status=AppointmentStatus.BOOKED,
            slot__ends_at__lt=at,
        )
        .values_list("department__code", "department__name")
        .annotate(n=Count("id"))
    )
    no_shows = {code: n for code, _, n in no_show_rows}
    names = {code: name for code, name, _ in no_show_rows}
    departments = []
    for code in sorted(set(by_dept) | set(no_shows)):
        row = by_dept.get(code) or {
            "code": code,
            "name": names[code],
            "taken": 0,
            "served": 0,
            "skipped": 0,
            "unserved": 0,
            "appointments": 0,
        }
        row.update(_summary(waits_dept.get(code, [])))
        row["no_shows"] = no_shows.get(code, 0)
        serve_p50 = _percentile(serves_dept.get(code, []), 0.5)
        row["serve_p50_min"] = round(serve_p50 / 60, 1) if serve_p50 is not None else None
        row["hours"] = [
            {"hour": hour, **_summary(values)}
            for (dept, hour), values in sorted(waits_hour.items())
            if dept == code
        ]
        departments.append(row)
    return {
        "site": site.code,
        "from": day_from.isoformat(),
        "to": day_to.isoformat(),
        "overall": {
            **_summary(all_waits),
            "taken": sum(r["taken"] for r in departments),
            "no_shows": sum(r["no_shows"] for r in departments),
            "skipped": sum(r["skipped"] for r in departments),
            "unserved": sum(r["unserved"] for r in departments),
        },
        "departments": departments,
    }


def day_range(days: int, at: datetime | None = None) -> tuple[date, date]:
    today = hall_day(at or timezone.now())
    return today - timedelta(days=max(days, 1) - 1), today


MAX_PERIOD_DAYS = 366


def period_from(params, *, days: int = 7, at: datetime | None = None) -> tuple[date, date]:
    """The (from, to) Beijing days a query asks for (`from`, `to`), else the last `days`
    days; ValueError for a reversed or over-long period."""
    try:
        day_from = date.fromisoformat(params.get("from") or "")
        day_to = date.fromisoformat(params.get("to") or "")
    except ValueError:
        return day_range(days, at)
    if day_to < day_from or (day_to - day_from).days > MAX_PERIOD_DAYS:
        raise ValueError(f"统计区间应为1至{MAX_PERIOD_DAYS}天。")
    return day_from, day_to

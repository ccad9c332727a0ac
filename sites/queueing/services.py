"""Writes of appointments and queue tickets: keyword-only, each one transaction.

Concurrency: a slot is booked with one conditional UPDATE (booked < capacity), backed by a
CHECK constraint; one phone has one live appointment per department and day (a partial
unique index); ticket numbers come from a locked per-(hall, day, queue) sequence row; a
window takes the next waiting ticket with SELECT ... FOR UPDATE SKIP LOCKED, so two windows
never call the same person.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from county.workdays.selectors import calendar_current
from sites.cases.identity import phone_problem
from sites.queueing.days import day_periods, hall_day
from sites.queueing.models import (
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Ticket,
    TicketSequence,
    TicketSource,
    TicketStatus,
)
from sites.queueing.rules import combined_for, hours_for, tickets_for
from sites.registry.models import Department, Site, Window

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
FULL = "该时段已约满，请选择其他时段。"

# Sent after a ticket is served (on commit): ratings (issue 15) connect here, or use the
# page link built from settings.HALL_QUEUE_RATING_URL (see selectors.rating_url).
ticket_served = Signal()


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": "时间必须带时区。"})
    return at


def _phone_clean(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "")
    problem = phone_problem(phone)
    if problem:
        raise ValidationError({"phone": problem})
    return phone


# ---------------------------------------------------------------- appointments


def slot_ensure(*, site: Site, department: Department, starts_at: datetime) -> AppointmentSlot:
    """The slot starting at `starts_at`, created from the rules if it is one of the day's."""
    day = hall_day(starts_at)
    hours = hours_for(site_code=site.code, department_code=department.code)
    if not calendar_current().is_working_day(day):
        raise ValidationError({"slot": "该日不是工作日，不能预约。"})
    period = next((p for p in day_periods(day, hours) if p.starts_at == starts_at), None)
    if period is None:
        raise ValidationError({"slot": "没有这个预约时段。"})
    try:
        with transaction.atomic():
            slot, _ = AppointmentSlot.objects.get_or_create(
                site=site,
                department=department,
                starts_at=period.starts_at,
                defaults={"day": day, "ends_at": period.ends_at, "capacity": hours["capacity"]},
            )
    except IntegrityError:  # created at the same moment by another booking
        slot = AppointmentSlot.objects.get(
            site=site, department=department, starts_at=period.starts_at
        )
    return slot


def appointment_book(
    *,
    site: Site,
    department: Department,
    starts_at: datetime,
    phone: str,
    item_code: str = "",
    at: datetime | None = None,
) -> Appointment:
    """预约: one place in a slot, for a phone number; returns the appointment (its code is
    what the citizen shows at check-in and uses to cancel)."""
    at = _now(at)
    phone = _phone_clean(phone)
    if starts_at <= at:
        raise ValidationError({"slot": "该时段已过，请选择其他时段。"})
    hours = hours_for(site_code=site.code, department_code=department.code)
    last_day = calendar_current().add_working_days(hall_day(at), int(hours["days_ahead"])).date
    if hall_day(starts_at) > last_day:
        raise ValidationError({"slot": f"最多可预约{hours['days_ahead']}个工作日内的时段。"})
    slot = slot_ensure(site=site, department=department, starts_at=starts_at)
    try:
        with transaction.atomic():
            taken = AppointmentSlot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(
                booked=F("booked") + 1
            )
            if not taken:
                raise ValidationError({"slot": FULL})
            for _ in range(5):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
                if not Appointment.objects.filter(site=site, day=slot.day, code=code).exists():
                    break
            return Appointment.objects.create(
                site=site,
                department=department,
                slot=slot,
                day=slot.day,
                item_code=(item_code or "")[:40],
                phone=phone,
                code=code,
                booked_at=at,
            )
    except IntegrityError as exc:
        raise ValidationError({"phone": "该手机号当天已预约此部门，请勿重复预约。"}) from exc


def _appointment_find(*, site: Site, code: str, phone: str) -> Appointment:
    code = (code or "").strip().upper()
    phone = (phone or "").strip().replace(" ", "")
    found = (
        Appointment.objects.select_for_update()
        .filter(site=site, code=code, phone=phone)
        .order_by("-day")
        .first()
    )
    if found is None:
        raise ValidationError({"code": "未找到预约，请核对预约码和手机号。"})
    return found


@transaction.atomic
def appointment_cancel(
    *, site: Site, code: str, phone: str, at: datetime | None = None
) -> Appointment:
    """取消预约 with the code and the phone number it was booked with; frees the place."""
    at = _now(at)
    appointment = _appointment_find(site=site, code=code, phone=phone)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError({"code": "该预约已签到或已取消，不能取消。"})
    if appointment.slot.starts_at <= at:
        raise ValidationError({"code": "预约时段已开始，不能取消。"})
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = at
    appointment.save(update_fields=["status", "cancelled_at"])
    AppointmentSlot.objects.filter(pk=appointment.slot_id).update(booked=F("booked") - 1)
    return appointment


@transaction.atomic
def appointment_check_in(
    *, site: Site, code: str, phone: str, at: datetime | None = None
) -> Ticket:
    """签到 at the kiosk, near the slot: a ticket placed ahead of walk-ins."""
    at = _now(at)
    appointment = _appointment_find(site=site, code=code, phone=phone)
    if appointment.status == AppointmentStatus.CHECKED_IN:
        return appointment.ticket
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError({"code": "该预约已取消。"})
    hours = hours_for(site_code=site.code, department_code=appointment.department.code)
    slot = appointment.slot
    if at < slot.starts_at - timedelta(minutes=int(hours["checkin_early_minutes"])):
        raise ValidationError(
            {"code": f"请在预约时段开始前{hours['checkin_early_minutes']}分钟内签到。"}
        )
    if at > slot.starts_at + timedelta(minutes=int(hours["checkin_late_minutes"])):
        raise ValidationError({"code": "已超过签到时间，请现场取号。"})
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.checked_in_at = at
    appointment.save(update_fields=["status", "checked_in_at"])
    return _ticket_new(
        site=site,
        department=appointment.department,
        at=at,
        source=TicketSource.APPOINTMENT,
        appointment=appointment,
        priority=1,
    )


# ---------------------------------------------------------------- tickets


def _number_next(*, site: Site, day, queue: str) -> int:
    row, _ = TicketSequence.objects.select_for_update().get_or_create(
        site_code=site.code, day=day, queue=queue
    )
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def _prefix(rule: dict, department: Department) -> str:
    return (str(rule["prefix"]) or department.code[:1]).upper()[:3]


def _ticket_new(*, site, department, at, source, appointment=None, priority=0) -> Ticket:
    day = hall_day(at)
    rule = tickets_for(site_code=site.code, department_code=department.code)
    number = _number_next(site=site, day=day, queue=department.code)
    if number > int(rule["max_per_day"]):
        raise ValidationError({"department": "今日该部门号码已取完，请明日再来或在线预约。"})
    return Ticket.objects.create(
        site=site,
        day=day,
        department=department,
        queue=department.code,
        number=number,
        label=f"{_prefix(rule, department)}{number:03d}",
        source=source,
        appointment=appointment,
        priority=priority,
        taken_at=at,
        queued_at=at,
        token=secrets.token_urlsafe(16),
    )


@transaction.atomic
def ticket_take(*, site: Site, department: Department, at: datetime | None = None) -> Ticket:
    """取号 at the kiosk: the next number of the department's queue today."""
    return _ticket_new(site=site, department=department, at=_now(at), source=TicketSource.WALK_IN)


def _current(window: Window, day):
    return (
        Ticket.objects.select_for_update()
        .filter(window=window, day=day, status=TicketStatus.CALLED)
        .order_by("-last_called_at")
        .first()
    )


def _finish(ticket: Ticket, at: datetime) -> None:
    ticket.status = TicketStatus.DONE
    ticket.finished_at = at
    ticket.save(update_fields=["status", "finished_at"])
    transaction.on_commit(lambda: ticket_served.send(sender=Ticket, ticket=ticket))


@transaction.atomic
def ticket_call_next(*, window: Window, by, at: datetime | None = None) -> Ticket | None:
    """叫号: the window's current ticket is served; the next waiting one of the window's
    departments is called (transfers, then appointment check-ins, then walk-ins, in order;
    a 综合窗口 takes them in that one order across all the departments it serves).
    None when nobody waits."""
    at = _now(at)
    day = hall_day(at)
    current = _current(window, day)
    if current is not None:
        _finish(current, at)
    waiting = Ticket.objects.filter(
        site_id=window.site_id,
        day=day,
        department_id__in=window.department_ids(),
        status=TicketStatus.WAITING,
    ).order_by("-priority", "queued_at", "id")
    lock = {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}
    ticket = waiting.select_for_update(**lock).first()
    if ticket is None:
        return None
    ticket.status = TicketStatus.CALLED
    ticket.window = window
    ticket.called_by = by
    ticket.called_at = ticket.called_at or at
    ticket.last_called_at = at
    ticket.call_count += 1
    ticket.save(
        update_fields=["status", "window", "called_by", "called_at", "last_called_at", "call_count"]
    )
    return ticket


def _window_ticket(*, window: Window, ticket_id: int) -> Ticket:
    ticket = (
        Ticket.objects.select_for_update()
        .filter(pk=ticket_id, window=window, status=TicketStatus.CALLED)
        .first()
    )
    if ticket is None:
        raise ValidationError({"ticket": "该号码不在本窗口办理中。"})
    return ticket


@transaction.atomic
def ticket_recall(*, window: Window, ticket_id: int, by, at: datetime | None = None) -> Ticket:
    """重呼: the display and the voice call the same number again."""
    ticket = _window_ticket(window=window, ticket_id=ticket_id)
    ticket.last_called_at = _now(at)
    ticket.call_count += 1
    ticket.save(update_fields=["last_called_at", "call_count"])
    return ticket


@transaction.atomic
def ticket_skip(*, window: Window, ticket_id: int, by, at: datetime | None = None) -> Ticket:
    """过号: the person did not come; counted as a no-show."""
    ticket = _window_ticket(window=window, ticket_id=ticket_id)
    ticket.status = TicketStatus.SKIPPED
    ticket.finished_at = _now(at)
    ticket.save(update_fields=["status", "finished_at"])
    return ticket


@transaction.atomic
def ticket_finish(*, window: Window, ticket_id: int, by, at: datetime | None = None) -> Ticket:
    """办理完毕: the serving time ends; the rating link opens for this number."""
    ticket = _window_ticket(window=window, ticket_id=ticket_id)
    _finish(ticket, _now(at))
    return ticket


@transaction.atomic
def window_departments_set(*, window: Window, departments: list[Department]) -> Window:
    """Make `window` a 综合窗口 serving `departments` besides its own (empty: 独立窗口),
    as far as the hall's rule allows."""
    extra = {d.pk: d for d in departments if d.pk != window.department_id}
    if extra:
        rule = combined_for(site_code=window.site.code)
        if not rule["allowed"]:
            raise ValidationError({"departments": "本大厅不设综合窗口。"})
        if len(extra) + 1 > int(rule["max_departments"]):
            raise ValidationError(
                {"departments": f"综合窗口最多兼办{rule['max_departments']}个部门。"}
            )
    window.departments.set(list(extra.values()))
    return window


@transaction.atomic
def ticket_transfer(
    *, window: Window, ticket_id: int, department: Department, by, at: datetime | None = None
) -> Ticket:
    """转移: the person goes to another department's queue, keeps the number, goes first."""
    at = _now(at)
    ticket = _window_ticket(window=window, ticket_id=ticket_id)
    if department.pk == ticket.department_id:
        raise ValidationError({"department": "请选择其他部门。"})
    ticket.transferred_from = ticket.department.code
    ticket.department = department
    ticket.status = TicketStatus.WAITING
    ticket.window = None
    ticket.priority = 2
    ticket.queued_at = at
    ticket.save()
    return ticket

"""Queue and appointment notifications (sites/queueing), by post_save receivers, in the
transaction of the booking or the call:

- appointment_confirmed: an appointment is booked;
- queue_near: a call leaves exactly 3 waiting before a checked-in appointment's ticket
  (walk-in tickets carry no phone); once per ticket;
- appointment_reminder: on the working day before, by the beat task (`reminders_due`),
  once per appointment.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from county.workdays.selectors import calendar_current
from sites.notify.services import notify
from sites.queueing.models import Appointment, AppointmentStatus, Ticket, TicketStatus
from sites.registry.selectors import site_current

AHEAD = 3


def _when(appointment: Appointment) -> dict:
    start = timezone.localtime(appointment.slot.starts_at)
    return {
        "day": f"{start.month}月{start.day}日",
        "period": start.strftime("%H:%M"),
        "department": appointment.department.name,
    }


@receiver(post_save, sender=Appointment, dispatch_uid="notify.appointment")
def appointment_booked(sender, instance: Appointment, created: bool, raw=False, **kwargs):
    if created and not raw:
        notify(
            None,
            "appointment_confirmed",
            phone=instance.phone,
            site=instance.site,
            key=f"appointment:{instance.site.code}:{instance.pk}:confirmed",
            **_when(instance),
        )


@receiver(post_save, sender=Ticket, dispatch_uid="notify.ticket_called")
def ticket_called(sender, instance: Ticket, created: bool, raw=False, **kwargs):
    if created or raw or instance.status != TicketStatus.CALLED:
        return
    waiting = Ticket.objects.filter(
        site_id=instance.site_id,
        day=instance.day,
        department_id=instance.department_id,
        status=TicketStatus.WAITING,
    ).order_by("-priority", "queued_at", "id")
    near = waiting.select_related("appointment").only("id", "label", "appointment__phone")
    near = list(near[AHEAD : AHEAD + 1])
    if near and near[0].appointment is not None:
        ticket = near[0]
        notify(
            None,
            "queue_near",
            phone=ticket.appointment.phone,
            site=site_current(),
            key=f"ticket:{site_current().code}:{ticket.pk}:near",
            ticket=ticket.label,
            ahead=AHEAD,
            window=f"{ticket_department(instance)}窗口",
        )


def ticket_department(ticket: Ticket) -> str:
    return ticket.department.name


def reminders_due(*, now=None) -> int:
    """On a working day, remind the appointments of the next working day (once each)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = calendar_current()
    if not calendar.is_working_day(today):
        return 0
    tomorrow = calendar.add_working_days(today, 1).date
    here = site_current()
    count = 0
    rows = Appointment.objects.filter(
        site=here, day=tomorrow, status=AppointmentStatus.BOOKED
    ).select_related("slot", "department", "site")
    for appointment in rows:
        notify(
            None,
            "appointment_reminder",
            phone=appointment.phone,
            site=here,
            key=f"appointment:{here.code}:{appointment.pk}:reminder",
            **_when(appointment),
        )
        count += 1
    return count

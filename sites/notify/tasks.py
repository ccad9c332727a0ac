"""Celery task of the notify app: beat says "send what is due" every few seconds.

The node's celery app adds BEAT_SCHEDULE to its beat_schedule; `hall station` runs it in
its tick thread. A dedicated sender is `hall notify-send`.
"""

from __future__ import annotations

from celery import shared_task

from sites.notify.queue import reminders_due
from sites.notify.worker import send_due

BEAT_SCHEDULE = {
    "notify-send": {"task": "notify.send", "schedule": 5.0},
    "notify-reminders": {"task": "notify.reminders", "schedule": 600.0},
}


@shared_task(name="notify.send", ignore_result=True)
def send() -> dict:
    return send_due(limit=200)


@shared_task(name="notify.reminders", ignore_result=True)
def reminders() -> int:
    """Appointment reminders on the working day before (each once: its key)."""
    return reminders_due()

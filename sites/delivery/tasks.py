"""催领: beat polls the deliveries past their deadline (no broker ETA)."""

from __future__ import annotations

from celery import shared_task

from sites.delivery.services import deliveries_remind

BEAT_SCHEDULE = {
    "delivery-remind": {"task": "delivery.remind", "schedule": 3600.0},  # hourly
}


@shared_task(name="delivery.remind", ignore_result=True)
def remind() -> int:
    return deliveries_remind()

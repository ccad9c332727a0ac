"""Beat tasks of e-supervision: lights and overdue orders are polled, never scheduled."""

from __future__ import annotations

from celery import shared_task

from county.supervision.alerts import alerts_tick
from county.supervision.orders import orders_overdue_mark
from sites.registry.tier import here

BEAT_SCHEDULE = {
    "supervision-alerts-tick": {"task": "supervision.alerts_tick", "schedule": 300.0},
    "supervision-orders-overdue": {"task": "supervision.orders_overdue", "schedule": 900.0},
}


@shared_task(name="supervision.alerts_tick", ignore_result=True)
def alerts_tick_task() -> dict:
    return alerts_tick()


@shared_task(name="supervision.orders_overdue", ignore_result=True)
def orders_overdue_task() -> int:
    return orders_overdue_mark() if here().issues_orders else 0

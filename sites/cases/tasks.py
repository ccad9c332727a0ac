"""Celery tasks of the cases app. Beat polls; nothing is scheduled with a broker ETA.

The node's celery app adds BEAT_SCHEDULE to its beat_schedule (see docs/decisions).
"""

from __future__ import annotations

from celery import shared_task

from sites.cases.supervision import case_clocks_refresh

BEAT_SCHEDULE = {
    "cases-clock-tick": {"task": "cases.clock_tick", "schedule": 300.0},  # every 5 minutes
}


@shared_task(name="cases.clock_tick", ignore_result=True)
def clock_tick() -> dict:
    return case_clocks_refresh()

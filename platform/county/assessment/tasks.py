"""The daily feedback job at the county: overdue complaint days cost points, unrated cases
default where the county rule says so. Beat polls hourly; each run records only what is new
(the ledger's unique source), so polling more often than daily is harmless."""

from __future__ import annotations

from celery import shared_task

from county.assessment.feedback import complaints_overdue_charge, ratings_default
from sites.registry.tier import here

BEAT_SCHEDULE = {
    "feedback-daily": {"task": "feedback.daily", "schedule": 3600.0},
}


@shared_task(name="feedback.daily", ignore_result=True)
def feedback_daily() -> dict:
    if not here().keeps_read_model:
        return {}

    return {"overdue_days": complaints_overdue_charge(), "defaulted": ratings_default()}

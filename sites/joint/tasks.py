"""Celery tasks of joint approvals: beat polls the database (no broker ETA tasks)."""

from __future__ import annotations

from celery import shared_task

from sites.joint.supervision import parts_deem_due

BEAT_SCHEDULE = {
    "joint-deem-tick": {"task": "joint.deem_tick", "schedule": 300.0},  # every 5 minutes
}


@shared_task(name="joint.deem_tick", ignore_result=True)
def deem_tick() -> dict:
    return parts_deem_due()

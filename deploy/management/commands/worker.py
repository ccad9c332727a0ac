"""`hall --site CODE worker`: this hall's celery worker with beat (periodic database polls)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from deploy.celery import app


class Command(BaseCommand):
    help = "Run this hall's celery worker with its beat schedule (clock tick every 5 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, **opts):
        app.worker_main(
            [
                "worker",
                "--beat",
                "--pool",
                "solo",
                "--loglevel",
                opts["loglevel"],
                "--queues",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "--schedule",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
                "--hostname",
                f"{settings.HALL_SITE}@%h",
                # no gossip, mingle or remote control: each would declare exchanges and
                # queues beyond celery-<site>, which the hall's broker account may not
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        )

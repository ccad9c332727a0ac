"""`hall --site CODE notify-send`: send this hall's SMS notifications (a loop, like relay)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sites.notify.worker import notify_run
from sync.relay import Stop


class Command(BaseCommand):
    requires_system_checks = []  # a daemon; `hall test` runs the checks
    help = "Send the SMS notifications in this hall's outbox, with retries and backoff."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when nothing is due")

    def handle(self, *args, **opts):
        notify_run(once=opts["once"], stop=Stop())

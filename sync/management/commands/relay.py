"""`hall --site CODE relay`: publish this hall's outbox."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sync.relay import relay_run


class Command(BaseCommand):
    requires_system_checks = []  # a daemon; `hall test` runs the checks
    help = "Publish the outbox to the broker in order, with batched publisher confirms."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the outbox is empty")

    def handle(self, *args, **opts):
        relay_run(once=opts["once"])

"""`hall --site CODE consume`: apply the messages queued for this hall."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sync.config import consumer_start_hooks
from sync.consumer import consume_run


def _on_start() -> None:
    """What the apps want done when the consumer starts (HALL_SYNC_CONSUMER_START): a site
    without any catalogue release asks the county for everything."""
    for hook in consumer_start_hooks():
        hook()


class Command(BaseCommand):
    requires_system_checks = []  # a daemon; `hall test` runs the checks
    help = "Consume this hall's queue: verify, apply in batches, quarantine bad messages."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")

    def handle(self, *args, **opts):
        consume_run(once=opts["once"], on_start=_on_start)

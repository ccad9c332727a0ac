"""`hall --site CODE consume`: apply the messages queued for this hall."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from sync.consumer import consume_run


def _ask_catalogue() -> None:
    """A site without any catalogue release asks the county for everything."""
    from sync.catalogue import applied_release, catalogue_resend_request

    if settings.HALL_TIER != "county" and applied_release() == 0:
        catalogue_resend_request(since=0)


class Command(BaseCommand):
    requires_system_checks = []  # a daemon; `hall test` runs the checks
    help = "Consume this hall's queue: verify, apply in batches, quarantine bad messages."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the queue is empty")

    def handle(self, *args, **opts):
        consume_run(once=opts["once"], on_start=_ask_catalogue)

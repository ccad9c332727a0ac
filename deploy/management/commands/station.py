"""`hall --site CODE station`: prepare this hall and run it in one process (deploy/station.py)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from deploy.management.commands.node import prepare_with_accounts
from deploy.station import station_run
from sync.config import consumer_start_hooks


def _on_start() -> None:
    for hook in consumer_start_hooks():
        hook()


class Command(BaseCommand):
    requires_system_checks = []
    help = "Serve this hall and run its relay, consumer and clock tick, all in one process."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=settings.HALL_WEB_THREADS)
        parser.add_argument("--sample", action="store_true", help="load the sample catalogue")
        parser.add_argument("--demo-accounts", action="store_true", help="as for `hall node`")

    def handle(self, *args, **opts):
        report = prepare_with_accounts(opts)
        if not settings.DEBUG:  # as `hall node`: WhiteNoise serves STATIC_ROOT in production
            call_command("collectstatic", interactive=False, verbosity=0)
        spec = settings.HALL_SITE_SPEC
        self.stdout.write(f"{spec.name} ({spec.code}, {spec.tier}) station ready: {report}")
        self.stdout.flush()
        sys.exit(
            station_run(
                host=opts["host"],
                port=opts["port"],
                threads=opts["threads"],
                on_consumer_start=_on_start,
            )
        )

"""`hall --site CODE station`: prepare this hall and run it in one process (deploy/station.py)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from deploy.management.commands.node import DEMO_ADMIN
from deploy.prepare import demo_staff_ensure, node_prepare
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
        report = node_prepare(sample=opts["sample"], verbosity=max(0, opts["verbosity"] - 1))
        if opts["demo_accounts"]:
            users = get_user_model().objects
            if settings.HALL_TIER == "county" and not users.filter(username=DEMO_ADMIN[0]).exists():
                users.create_superuser(DEMO_ADMIN[0], password=DEMO_ADMIN[1])
            report["staff"] = demo_staff_ensure()
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

"""`hall --site CODE node`: prepare this hall's database and serve it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure, node_prepare

DEMO_ADMIN = ("admin", DEMO_PASSWORD)


class Command(BaseCommand):
    help = "Prepare this hall's database (migrate, site tree, rules) and serve it over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--sample", action="store_true", help="load the sample catalogue")
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help=f"create the demo staff of this hall (and at the county the superuser "
            f"{DEMO_ADMIN[0]}), password {DEMO_PASSWORD}",
        )
        parser.add_argument("--no-serve", action="store_true", help="prepare only")

    def handle(self, *args, **opts):
        report = node_prepare(sample=opts["sample"], verbosity=max(0, opts["verbosity"] - 1))
        if opts["demo_accounts"]:
            users = get_user_model().objects
            if settings.HALL_TIER == "county" and not users.filter(username=DEMO_ADMIN[0]).exists():
                users.create_superuser(DEMO_ADMIN[0], password=DEMO_ADMIN[1])
            report["staff"] = demo_staff_ensure()
        spec = settings.HALL_SITE_SPEC
        self.stdout.write(f"{spec.name} ({spec.code}, {spec.tier}) ready: {report}")
        if not opts["no_serve"]:
            call_command(
                "runserver",
                f"{opts['host']}:{opts['port']}",
                use_reloader=False,
                use_threading=True,
                skip_checks=True,
            )

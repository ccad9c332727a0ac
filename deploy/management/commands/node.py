"""`hall --site CODE node`: prepare this hall's database and serve it with gunicorn."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure, node_prepare
from sites.registry.tier import here

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
        report = prepare_with_accounts(opts)
        spec = settings.HALL_SITE_SPEC
        self.stdout.write(f"{spec.name} ({spec.code}, {spec.tier}) ready: {report}")
        if opts["no_serve"]:
            return
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv, env = server_command(host=opts["host"], port=opts["port"])
        self.stdout.write(
            f"gunicorn: {settings.HALL_WEB_WORKERS} worker(s) x {settings.HALL_WEB_THREADS} "
            f"thread(s) on {opts['host']}:{opts['port']}"
        )
        self.stdout.flush()
        # exec, not a child: the server keeps this pid, so a supervisor's SIGTERM reaches
        # gunicorn's master (graceful stop) directly.
        os.execve(sys.executable, argv, env)


def prepare_with_accounts(opts: dict) -> dict:
    """node_prepare, then with --demo-accounts the demo staff (and the county's superuser);
    `hall node` and `hall station` share it."""
    report = node_prepare(sample=opts["sample"], verbosity=max(0, opts["verbosity"] - 1))
    if opts["demo_accounts"]:
        users = get_user_model().objects
        if here().authors_catalogue and not users.filter(username=DEMO_ADMIN[0]).exists():
            users.create_superuser(DEMO_ADMIN[0], password=DEMO_ADMIN[1])
        report["staff"] = demo_staff_ensure()
    return report


def server_command(*, host: str, port: int) -> tuple[list[str], dict]:
    """The gunicorn command line and environment of this hall's web server. The server
    imports the settings afresh, with HALL_DB_POOL_MAX set to its thread count: one pooled
    connection per thread at most (see deploy/settings/base.py)."""
    workers, threads = settings.HALL_WEB_WORKERS, settings.HALL_WEB_THREADS
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "deploy.settings.node")
    env["HALL_DB_POOL_MAX"] = str(settings.HALL_DB_POOL_MAX or threads)
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "deploy.wsgi:application",
        f"--bind={host}:{port}",
        "--worker-class=gthread",
        f"--workers={workers}",
        f"--threads={threads}",
        "--graceful-timeout=5",  # the demo supervisor waits 10 s before SIGKILL
        "--timeout=60",
        # idle keep-alive connections hold a thread each in gthread; keep them short
        "--keep-alive=5",
        # gunicorn's control socket is one path per user: seven demo halls would collide
        "--no-control-socket",
    ]
    if env.get("HALL_WEB_ACCESS_LOG"):
        argv.append("--access-logfile=-")
    if os.path.isdir("/dev/shm"):
        argv.append("--worker-tmp-dir=/dev/shm")  # heartbeat files off a slow village disk
    return argv, env

"""`hall broker-provision`: one RabbitMQ account per hall, limited to its own queue, its
own origin and the halls it sends to (sync/provision.py); writes each hall's broker URL to
--out (mode 0600) before the broker knows the password, so no generated password is lost."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync.provision import (
    ManagementApi,
    ProvisionError,
    RabbitmqCtl,
    broker_provision,
    grants_refresh,
)
from sync.transport import connect, topology_declare


def urls_keep(path: Path, urls: dict[str, str]) -> None:
    """Write {hall: URL} to `path` atomically (a temporary file, mode 0600, renamed)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(urls, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = "County: create per-hall broker accounts and declare the topology."

    def add_arguments(self, parser):
        parser.add_argument("--vhost", default="/")
        parser.add_argument("--prefix", default="hall-", help="user name = prefix + hall code")
        parser.add_argument(
            "--api", help="management API URL (http://admin:pw@host:15672); default rabbitmqctl"
        )
        parser.add_argument(
            "--broker",
            default=None,
            help="amqp(s)://host:port the halls connect to (default: HALL_BROKER_URL's)",
        )
        parser.add_argument(
            "--admin-url",
            help="an administrator's AMQP URL on the vhost: gets every right there and "
            "declares the topology",
        )
        parser.add_argument("--out", help="JSON file {hall: broker URL} (required to provision)")
        parser.add_argument("--site", action="append", help="only these halls (repeatable)")
        parser.add_argument(
            "--grants-only",
            action="store_true",
            help="set the permissions of the existing accounts again; passwords unchanged",
        )

    def handle(self, *args, **opts):
        if opts["grants_only"]:
            admin = ManagementApi(opts["api"]) if opts["api"] else RabbitmqCtl()
            try:
                done = grants_refresh(
                    admin=admin, vhost=opts["vhost"], prefix=opts["prefix"], sites=opts["site"]
                )
            except ProvisionError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"permissions set again: {', '.join(done)}")
            return
        if not opts["out"]:
            raise CommandError("--out is required (where the new passwords are kept)")
        broker = opts["broker"] or settings.HALL_BROKER_URL
        if not broker.startswith("amqp"):
            raise CommandError("broker-provision is for RabbitMQ (amqp:// or amqps://)")
        out = Path(opts["out"]).resolve()
        if not out.parent.is_dir():
            raise CommandError(f"--out: 目录不存在: {out.parent}")
        admin_url = opts["admin_url"]
        admin_user = unquote(urlsplit(admin_url).username or "") if admin_url else None
        admin = ManagementApi(opts["api"]) if opts["api"] else RabbitmqCtl()
        try:
            urls = broker_provision(
                admin=admin,
                vhost=opts["vhost"],
                prefix=opts["prefix"],
                broker=broker,
                sites=opts["site"],
                admin_user=admin_user,
                on_password=lambda so_far: urls_keep(out, so_far),
            )
        except ProvisionError as exc:
            raise CommandError(str(exc)) from exc
        urls_keep(out, urls)
        if admin_url:
            with connect(admin_url) as conn:
                topology_declare(conn, force=True)
        self.stdout.write(f"{len(urls)} hall accounts on vhost {opts['vhost']}: {out}")

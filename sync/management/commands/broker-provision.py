"""`hall broker-provision`: one RabbitMQ account per hall, limited to its own queue and
origin (sync/provision.py); writes each hall's broker URL to --out (mode 0600)."""

from __future__ import annotations

import json
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sync.provision import ManagementApi, RabbitmqCtl, broker_provision
from sync.transport import connect, topology_declare


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
        parser.add_argument("--admin-url", help="an administrator's AMQP URL to declare with")
        parser.add_argument("--out", required=True, help="JSON file {hall: broker URL}")

    def handle(self, *args, **opts):
        broker = opts["broker"] or settings.HALL_BROKER_URL
        if not broker.startswith("amqp"):
            raise CommandError("broker-provision is for RabbitMQ (amqp:// or amqps://)")
        admin = ManagementApi(opts["api"]) if opts["api"] else RabbitmqCtl()
        urls = broker_provision(
            admin=admin, vhost=opts["vhost"], prefix=opts["prefix"], broker=broker
        )
        if opts["admin_url"]:
            with connect(opts["admin_url"]) as conn:
                topology_declare(conn, force=True)
        fd = os.open(opts["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(urls, f, indent=1)
        self.stdout.write(f"{len(urls)} hall accounts on vhost {opts['vhost']}: {opts['out']}")

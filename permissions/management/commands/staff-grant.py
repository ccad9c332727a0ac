"""hall staff-grant --username U --role clerk [--at CODE] [--revoke]

Grants (or revokes) a role at a site to an existing account: a person may hold roles at
several sites.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permissions.management.commands._common import site_for
from permissions.roles import Role
from permissions.services import role_grant, role_revoke


class Command(BaseCommand):
    help = "授予或收回某站点的角色。"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--at", help="站点编码(默认: 本节点站点)")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, **opts):
        site = site_for(opts["at"])
        user = get_user_model().objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"无此用户 {opts['username']}")
        role = Role(opts["role"])
        try:
            if opts["revoke"]:
                role_revoke(user=user, site=site, role=role)
            else:
                role_grant(user=user, site=site, role=role)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "已收回" if opts["revoke"] else "已授予"
        self.stdout.write(f"{verb} {user.username}: {site.name} {role.label}")

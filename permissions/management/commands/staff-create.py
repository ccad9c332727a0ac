"""hall [--site CODE] staff-create --username U --name 姓名 --role clerk [--role ...]

Creates a staff account at this node's site (or --at CODE) with the given roles there.
The password is read from stdin (--password-stdin) or prompted; --no-password makes an
account that cannot log in until a password is set.
"""

from __future__ import annotations

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from permissions.management.commands._common import site_for
from permissions.roles import ROLES, Role
from permissions.services import staff_create


class Command(BaseCommand):
    help = "创建工作人员账号并授予本站角色。"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=[r.value for r in Role],
            help="; ".join(f"{r.value}: {ROLES[r].label}" for r in Role),
        )
        parser.add_argument("--at", help="站点编码(默认: 本节点站点)")
        parser.add_argument("--email", default="")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--password-stdin", action="store_true")
        group.add_argument("--no-password", action="store_true")

    def handle(self, *args, **opts):
        site = site_for(opts["at"])
        if opts["no_password"]:
            password = None
        elif opts["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        elif not sys.stdin.isatty():
            # getpass would echo a warning and read the pipe, then fail on the repeat prompt
            raise CommandError(
                "标准输入不是终端，无法提示输入密码：请加 --password-stdin 从管道读取密码，"
                "或加 --no-password 创建暂不能登录的账号。"
            )
        else:
            password = getpass.getpass("密码: ")
            if password != getpass.getpass("再次输入: "):
                raise CommandError("两次输入的密码不一致。")
        try:
            user = staff_create(
                username=opts["username"],
                name=opts["name"],
                site=site,
                roles=opts["role"],
                password=password,
                email=opts["email"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        labels = "、".join(Role(r).label for r in opts["role"])
        self.stdout.write(f"已创建 {user.username}: {site.name} {labels}")

"""hall staff-unlock --username U: clear a login lockout."""

from django.core.management.base import BaseCommand

from permissions.auth import login_unlock


class Command(BaseCommand):
    help = "解除账号登录锁定。"

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)

    def handle(self, *args, **opts):
        done = login_unlock(username=opts["username"])
        self.stdout.write("已解除锁定" if done else "该账号未被锁定")

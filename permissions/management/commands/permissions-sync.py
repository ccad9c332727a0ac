"""hall permissions-sync: re-derive every role group's grants (after a change of roles.py,
or after loading fixtures) and the object grants the apps own (every delegation's)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from permissions.services import permissions_ensure, role_groups_sync_all
from permissions.signals import object_grants_resync


class Command(BaseCommand):
    help = "按角色定义重新同步权限授予。"

    @transaction.atomic
    def handle(self, *args, **opts):
        permissions_ensure()
        groups = role_groups_sync_all()
        done = [f"{count} 项{label}" for _, (label, count) in object_grants_resync.send(None)]
        self.stdout.write(f"已同步 {groups} 个角色组, {', '.join(done)}。")

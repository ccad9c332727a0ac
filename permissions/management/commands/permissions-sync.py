"""hall permissions-sync: re-derive every role group's grants (after a change of roles.py,
or after loading fixtures) and the grants of every delegation."""

from django.core.management.base import BaseCommand
from django.db import transaction

from permissions.services import delegations_sync_all, permissions_ensure, role_groups_sync_all


class Command(BaseCommand):
    help = "按角色定义重新同步权限授予。"

    @transaction.atomic
    def handle(self, *args, **opts):
        permissions_ensure()
        groups = role_groups_sync_all()
        delegations = delegations_sync_all()
        self.stdout.write(f"已同步 {groups} 个角色组, {delegations} 项下放事项。")

"""`hall windows_announce`: a hall tells the county every window and placed person it has
(once after the upgrade that added the messages; a repeat changes nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from county.assessment.announce import windows_announce_all
from county.assessment.services import windows_sync_local
from sites.registry.tier import here


class Command(BaseCommand):
    help = "考核：把本站全部窗口和窗口工作人员告知县级中心(县级直接登记)。"

    def handle(self, *args, **options):
        with transaction.atomic():
            count = windows_sync_local() if here().keeps_read_model else windows_announce_all()
        self.stdout.write(f"窗口：{count}")

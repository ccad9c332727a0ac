"""`hall alerts_tick`: fire the new yellow and red lights once (what celery beat runs)."""

from django.core.management.base import BaseCommand

from county.supervision.alerts import alerts_tick
from county.supervision.orders import orders_overdue_mark
from sites.registry.tier import here


class Command(BaseCommand):
    help = "电子监察：点亮新的黄灯、红灯；县级另标记逾期未答复的督办单。"

    def handle(self, *args, **options):
        self.stdout.write(str(alerts_tick()))
        if here().issues_orders:
            self.stdout.write(f"督办单逾期：{orders_overdue_mark()}")

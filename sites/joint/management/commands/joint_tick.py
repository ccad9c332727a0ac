from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_date

from sites.joint.supervision import parts_deem_due


class Command(BaseCommand):
    help = "逾期默认：把已过期限仍未出具意见的联办环节按默认同意处理(定时任务 joint.deem_tick)。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="按此日期判断(YYYY-MM-DD)，默认今天")

    def handle(self, *args, today=None, **options) -> None:
        result = parts_deem_due(today=parse_date(today) if today else None)
        self.stdout.write(f"逾期默认 {result['deemed']} 个联办环节")

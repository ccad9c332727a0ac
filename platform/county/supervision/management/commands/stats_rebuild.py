"""`hall stats_rebuild`: fold the county's read model into the statistics rows again (after
`readmodel_rebuild`, or on a county that had cases before the rollup existed)."""

from django.core.management.base import BaseCommand

from county.supervision.rollup import stats_rebuild


class Command(BaseCommand):
    help = "按全县办件视图重新汇总电子监察统计。"

    def handle(self, *args, **options):
        self.stdout.write(f"已汇总 {stats_rebuild()} 件办件。")

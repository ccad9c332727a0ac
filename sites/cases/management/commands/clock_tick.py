"""`hall clock_tick`: run the supervision clock tick once (what celery beat runs)."""

from django.core.management.base import BaseCommand

from sites.cases.supervision import case_clocks_refresh


class Command(BaseCommand):
    help = "重新计算本站所有在办件的时限，并标记新超时的办件。"

    def handle(self, *args, **options):
        self.stdout.write(str(case_clocks_refresh()))

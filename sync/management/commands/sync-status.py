"""`hall --site CODE sync-status [--json]`: this hall's sync state."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from sync.selectors import sync_status

LABELS = {
    "site": "站点",
    "outbox_backlog": "待发送",
    "oldest_unsent_age_s": "最早未发(秒)",
    "last_confirmed": "最后确认",
    "held_count": "暂存(缺口)",
    "quarantined": "隔离",
    "catalogue_release": "目录版本",
}


class Command(BaseCommand):
    help = "Show outbox backlog, last confirmed, last applied per origin, gaps, quarantine."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **opts):
        status = sync_status()
        if opts["json"]:
            self.stdout.write(json.dumps(status, ensure_ascii=False))
            return
        for key, label in LABELS.items():
            self.stdout.write(f"{label:<10} {status[key]}")
        for origin, row in status["last_applied"].items():
            self.stdout.write(f"来自 {origin:<10} {row['applied']} 条, 最后 {row['at']}")
        for gap in status["held_gaps"]:
            self.stdout.write(f"缺口 {gap['aggregate']}: {gap['messages']} 条等待")

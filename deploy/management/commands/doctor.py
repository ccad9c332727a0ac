"""`hall --site CODE doctor`: check this hall's installation and print what to fix."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from deploy.doctor import doctor_run


class Command(BaseCommand):
    requires_system_checks = []
    help = "检查本大厅的安装(数据库、消息队列账号、密钥登记、县中心网址、静态文件、时钟、磁盘)。"

    def handle(self, *args, **opts):
        spec = settings.HALL_SITE_SPEC
        self.stdout.write(f"{spec.name}({spec.code})安装检查")
        problems = 0
        for name, found in doctor_run().items():
            if not found:
                self.stdout.write(f"  ✓ {name}")
            for problem in found:
                problems += 1
                self.stdout.write(f"  ✗ {problem.area}:{problem.what}\n      修复:{problem.fix}")
        if problems:
            self.stdout.write(f"发现 {problems} 个问题。")
            self.stdout.flush()
            sys.exit(1)
        self.stdout.write("未发现问题。")

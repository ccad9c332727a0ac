"""`hall demo`: the county, its townships and villages, each a separate process and database."""

from __future__ import annotations

import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from deploy.demo import Supervisor, demo_keys_ensure, demo_plan, fresh_start, wait_ready
from deploy.management.commands.node import DEMO_ADMIN

DEMO_ACCOUNTS = [
    ("县级监管员", "county-supervisor"),
    ("目录管理员", "county-catalogue"),
    ("乡镇窗口", "t-maan-clerk"),
    ("首席代表", "t-maan-chief"),
    ("村代办员", "v-shiqiao-agent"),
    ("村窗口", "v-shiqiao-clerk"),
]


class Command(BaseCommand):
    help = "Start every hall of the site tree on the embedded default (SQLite + filesystem broker)."

    def add_arguments(self, parser):
        parser.add_argument("--fresh", action="store_true", help="start from empty databases")
        parser.add_argument(
            "--port", type=int, default=8000, help="the county's port; the others follow it"
        )
        parser.add_argument(
            "--ready-only",
            action="store_true",
            help="stop once every hall answers (used by the tests)",
        )

    def handle(self, *args, **opts):
        # Ctrl-C, `kill` and a closed terminal all stop every hall cleanly (a background
        # job may have started with SIGINT ignored, so the handlers are set explicitly).
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        var = settings.VAR_DIR
        if opts["fresh"]:
            fresh_start(var)
        demo_keys_ensure(var)
        plan = demo_plan(opts["port"])
        env = {k: v for k, v in os.environ.items() if not k.startswith("HALL_SITE")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["HALL_VAR_DIR"] = str(var)
        supervisor = Supervisor(var, env)
        self.stdout.write(f"启动 {len(plan)} 个站点(日志: {supervisor.logs}) ...")
        try:
            for node in plan:
                for name, argv in node.commands:
                    supervisor.start(f"{node.spec.code}-{name}", argv, env)
            self._report(plan, supervisor)
            if opts["ready_only"]:
                return
            self.stdout.write("按 Ctrl-C 停止全部站点。")
            while not supervisor.failed():
                time.sleep(1)
            raise CommandError(f"进程退出: {', '.join(supervisor.failed())}; 见 {supervisor.logs}")
        except KeyboardInterrupt:
            self.stdout.write("\n正在停止 ...")
        finally:
            stuck = supervisor.stop()
            if stuck:
                self.stderr.write(f"仍未退出的进程: {', '.join(stuck)}")
            self.stdout.write("已停止。")

    def _report(self, plan, supervisor) -> None:
        for index, node in enumerate(plan, start=1):
            if not wait_ready(node.url, timeout=180):
                raise CommandError(f"{node.spec.code} 未能启动; 见 {supervisor.logs}")
            self.stdout.write(
                f"  [{index}/{len(plan)}] {node.spec.name:<14} {node.spec.code:<12} {node.url}"
            )
        user, password = DEMO_ADMIN
        self.stdout.write(f"县级管理后台: {plan[0].url}admin/  账号 {user} / 密码 {password}")
        self.stdout.write(
            "工作人员(各站点同一密码): "
            + "；".join(f"{label} {example}" for label, example in DEMO_ACCOUNTS)
        )
        self.stdout.write(
            f"群众查询: 任一站点的 /chaxun/ ；接口文档: /api/docs/ ；GraphQL: {plan[0].url}graphql/"
        )


def _interrupt(signum, frame):
    raise KeyboardInterrupt

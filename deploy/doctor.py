"""`hall doctor`: what is wrong with this hall's installation, in Chinese, with the fix.

Each check returns the problems it found (an empty list: fine). Nothing here changes the
hall: it connects, reads and compares. Checks: settings, database and migrations, broker
account (login, its queue, the exchange), signing key enrolled at the county, the
county's address, static files, clock and time zone, disk.
"""

from __future__ import annotations

import email.utils
import os
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from county.hallkeys.selectors import hall_keys_distributed
from sites.registry.tier import here
from sync.api import own_key
from sync.transport import connect, declares, names, topology_declare

CLOCK_SKEW_S = 60
DISK_MIN_BYTES = 1 << 30  # 1 GiB free under HALL_VAR_DIR


@dataclass(frozen=True)
class Problem:
    area: str
    what: str
    fix: str


def check_settings() -> list[Problem]:
    found = []
    if settings.DEBUG:
        found.append(
            Problem(
                "配置", "调试模式开启(DEBUG)", "生产使用 deploy.settings.production,不设 HALL_DEBUG"
            )
        )
    if settings.SECRET_KEY.startswith("insecure-"):
        found.append(Problem("配置", "HALL_SECRET_KEY 未设置", "在 env 文件中设一个长随机串"))
    var = Path(settings.VAR_DIR).resolve()
    for name in ("HALL_SYNC_KEY_FILE", "HALL_SYNC_TRUST_DIR"):
        path = Path(getattr(settings, name).replace("{site}", settings.HALL_SITE)).resolve()
        if not path.is_relative_to(var):
            found.append(
                Problem(
                    "配置",
                    f"{name}={path} 不在本大厅可写目录 {var} 内(systemd 只允许写该目录)",
                    f"改为 {var}/… (见 deploy/systemd/example.env)",
                )
            )
    return found


def check_database() -> list[Problem]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        plan = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    except DatabaseError as exc:
        return [
            Problem(
                "数据库",
                f"无法连接数据库:{str(exc).strip().splitlines()[0][:200]}",
                "检查 HALL_DATABASE_URL(地址、库名、账号、密码)与 PostgreSQL 是否运行",
            )
        ]
    if plan:
        return [
            Problem(
                "数据库",
                f"有 {len(plan)} 个数据库迁移未执行",
                "启动一次本大厅(hall node / hall station 启动时自动迁移)或执行 hall migrate",
            )
        ]
    return []


def check_broker() -> list[Problem]:
    url = settings.HALL_BROKER_URL
    if not url.startswith("amqp"):
        if settings.DEBUG:
            return []
        return [
            Problem("消息队列", "未使用 RabbitMQ(HALL_BROKER_URL)", "写入本大厅的 amqps:// 账号")
        ]
    queue = f"{names()['exchange']}.{settings.HALL_SITE}"
    try:
        with connect(url) as conn:
            conn.connect()
            channel = conn.channel()
            channel.exchange_declare(names()["exchange"], "topic", passive=True)
            channel.queue_declare(queue, passive=True)
    except Exception as exc:  # py-amqp, socket and TLS errors alike
        return _broker_problem(exc)
    if declares():
        try:  # what the relay and consumer do at connect with HALL_SYNC_DECLARE (idempotent)
            with connect(url) as conn:
                topology_declare(conn)
        except Exception as exc:
            return [
                Problem(
                    "消息队列",
                    f"本大厅的账号不能声明队列:{str(exc)[:200]}",
                    "使用各大厅自己的账号时在 env 文件中设 HALL_SYNC_DECLARE=false",
                )
            ]
    return []


def _broker_problem(exc: Exception) -> list[Problem]:
    text = str(exc).strip() or type(exc).__name__
    if "Login was refused" in text or "ACCESS_REFUSED - Login" in text:
        what, fix = (
            f"账号或密码被拒绝:{text[:200]}",
            "把 broker-accounts.json 中本大厅的 HALL_BROKER_URL 原样写入 env 文件",
        )
    elif "ACCESS_REFUSED" in text or "NOT_ALLOWED" in text:
        what, fix = (
            f"账号权限不足:{text[:200]}",
            "县中心重新执行 hall broker-provision 为本大厅授权(虚拟主机须与 URL 一致)",
        )
    elif "NOT_FOUND" in text:
        what, fix = (
            f"队列或交换机不存在:{text[:200]}",
            "县中心执行 hall broker-provision(带 --admin-url)声明队列;"
            "HALL_SYNC_NAMESPACE 须与县中心一致",
        )
    else:
        what, fix = (
            f"无法连接:{text[:200]}",
            "检查 HALL_BROKER_URL 的地址与端口、HALL_BROKER_CA 及网络",
        )
    return [Problem("消息队列", what, fix)]


def check_keys() -> list[Problem]:
    found = []
    try:
        key = own_key()
    except (OSError, RuntimeError, ValueError) as exc:
        return [
            Problem("签名密钥", f"无法读取或生成私钥:{exc}", "检查 HALL_SYNC_KEY_FILE 及目录权限")
        ]
    trust = Path(settings.HALL_SYNC_TRUST_DIR)
    county = settings.HALL_SYNC_FANIN
    if county != settings.HALL_SITE and not (trust / f"{county}.pub").exists():
        found.append(
            Problem(
                "签名密钥",
                f"信任目录 {trust} 中没有县中心公钥 {county}.pub",
                f"把县中心的 {county}.pub 复制到 {trust}/",
            )
        )
    try:
        enrolled = hall_keys_distributed().get(settings.HALL_SITE, [])
    except DatabaseError:
        return found  # the database check names it
    if key.kid not in [row["kid"] for row in enrolled]:
        found.append(
            Problem(
                "签名密钥",
                f"本大厅公钥(kid {key.kid})未在县中心登记,或登记后的目录版本尚未到达",
                f"县中心执行 hall sync-keys enrol --site {settings.HALL_SITE} "
                f"--public-key {key.public_hex};然后等待本大厅 sync-status 的目录版本更新",
            )
        )
    return found


def _county_get(path: str):
    base = settings.HALL_COUNTY_URL.rstrip("/")
    return urllib.request.urlopen(base + path, timeout=5)


def check_county() -> list[Problem]:
    if not here().asks_county:
        return []
    url = settings.HALL_COUNTY_URL
    try:
        with _county_get("/healthz/") as answer:
            date = answer.headers.get("Date")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return [
            Problem(
                "县中心网址",
                f"HALL_COUNTY_URL={url} 无法访问:{exc}",
                "设为县中心的网址(群众在乡镇、村查询办件时由本大厅代为访问)",
            )
        ]
    if date:
        skew = time.time() - email.utils.parsedate_to_datetime(date).timestamp()
        if abs(skew) > CLOCK_SKEW_S:
            return [
                Problem(
                    "时钟",
                    f"本机时钟与县中心相差 {skew:.0f} 秒",
                    "启用时间同步(timedatectl set-ntp true)",
                )
            ]
    return []


def check_static() -> list[Problem]:
    if settings.DEBUG and getattr(settings, "WHITENOISE_USE_FINDERS", False):
        return []  # served from the apps' folders
    root = Path(settings.STATIC_ROOT)
    wanted = {path for finder in finders.get_finders() for path, _ in finder.list([])}
    missing = sorted(p for p in wanted if not (root / p).exists())
    if missing:
        return [
            Problem(
                "静态文件",
                f"{root} 缺少 {len(missing)} 个静态文件(如 {missing[0]}):页面无样式",
                "启动一次本大厅(hall node / hall station 启动时自动收集)或执行 "
                "hall collectstatic --noinput",
            )
        ]
    return []


def check_clock() -> list[Problem]:
    found = []
    if settings.TIME_ZONE != "Asia/Shanghai":
        found.append(Problem("时区", f"TIME_ZONE={settings.TIME_ZONE}", "应为 Asia/Shanghai"))
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT extract(epoch from now())")
                skew = time.time() - float(cursor.fetchone()[0])
                if abs(skew) > CLOCK_SKEW_S:
                    found.append(
                        Problem(
                            "时钟",
                            f"本机时钟与数据库服务器相差 {skew:.0f} 秒",
                            "两台机器都启用时间同步(timedatectl set-ntp true)",
                        )
                    )
    except DatabaseError:
        pass  # the database check names it
    return found


def check_disk() -> list[Problem]:
    var = Path(settings.VAR_DIR)
    usage = shutil.disk_usage(var)
    if usage.free < DISK_MIN_BYTES or usage.free < usage.total * 0.05:
        return [
            Problem(
                "磁盘",
                f"{var} 所在磁盘仅剩 {usage.free / (1 << 30):.1f} GiB",
                "清理旧备份与日志,或扩容(至少 1 GiB 且 5% 空闲)",
            )
        ]
    if not os.access(var, os.W_OK):
        return [Problem("磁盘", f"{var} 不可写", f"chown -R halls:halls {var}")]
    return []


CHECKS = {
    "配置": check_settings,
    "数据库": check_database,
    "消息队列": check_broker,
    "签名密钥": check_keys,
    "县中心网址": check_county,
    "静态文件": check_static,
    "时钟与时区": check_clock,
    "磁盘": check_disk,
}


def doctor_run() -> dict[str, list[Problem]]:
    return {name: check() for name, check in CHECKS.items()}

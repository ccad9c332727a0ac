"""One helper for reading the node's configuration from the environment."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(SystemExit):
    """Raised at start-up for configuration a node cannot run with; exits with a message."""

    def __init__(self, message: str) -> None:
        super().__init__(f"hall: {message}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ConfigError(f"the environment variable {name} must be set")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def var_dir() -> Path:
    """Where an embedded node keeps its SQLite files and the filesystem broker."""
    path = Path(env_str("HALL_VAR_DIR", str(REPO_ROOT / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- Every environment variable a hall reads: the one list (issue 28). The runbook's and
# README's tables and deploy/systemd/example.env are checked against it
# (tests/deploy/test_env_documented.py, which prints the table when they differ).
# name: (default, 说明)
VARIABLES: dict[str, tuple[str, str]] = {
    "HALL_SITE": (
        "county",
        "本大厅的站点代码(`sites/registry/data/halls.json`);systemd 单元按 %i 设置",
    ),
    "HALL_SITES_FILE": ("内置 halls.json", "站点树文件(代码、名称、层级、上级)"),
    "HALL_VAR_DIR": (
        "<代码目录>/var",
        "本大厅的可写目录:SQLite、静态文件、密钥;生产为 /var/lib/halls/<站点>",
    ),
    "HALL_DATABASE_URL": (
        "SQLite 文件",
        "数据库;生产必填,如 postgres://halls_t_maan:…@127.0.0.1:5432/halls_t_maan",
    ),
    "HALL_SECRET_KEY": ("演示用", "Django 密钥;生产必填,每个大厅不同的长随机串"),
    "HALL_DEBUG": ("true(生产 false)", "调试模式;生产设置下默认关闭"),
    "HALL_ALLOWED_HOSTS": ("127.0.0.1,localhost,testserver", "本大厅的域名/地址,逗号分隔"),
    "HALL_TRUSTED_PROXY_HOPS": ("0", "前置反向代理层数(信任其 X-Forwarded-For)"),
    "HALL_COUNTY_URL": (
        "http://127.0.0.1:8000",
        "县中心网址:乡镇、村代群众查询办件时访问;乡镇、村必填",
    ),
    "HALL_PORT": ("8000", "systemd 单元中 `hall node` / `hall station` 监听的端口(本机 127.0.0.1)"),
    "HALL_WEB_WORKERS": ("1", "`hall node` 的 gunicorn 进程数"),
    "HALL_WEB_THREADS": ("4", "每进程线程数(`hall station` 的请求线程数)"),
    "HALL_WEB_ACCESS_LOG": ("空", "非空时 gunicorn 输出访问日志"),
    "HALL_DB_POOL_MAX": ("0(`hall node` 自动设为线程数)", "PostgreSQL 连接池上限"),
    "HALL_DB_POOL_IDLE": ("60", "连接池中空闲连接保留秒数"),
    "HALL_BROKER_URL": (
        "filesystem://",
        "本大厅的 RabbitMQ 账号(`hall broker-provision` 生成);生产必填",
    ),
    "HALL_BROKER_CA": ("空(系统 CA)", "amqps:签发 RabbitMQ 证书的 CA 文件"),
    "HALL_BROKER_CERT": ("空", "amqps:客户端证书(RabbitMQ 要求时)"),
    "HALL_BROKER_KEY": ("空", "amqps:客户端证书私钥"),
    "HALL_BROKER_FOLDER": ("<HALL_VAR_DIR>/broker", "filesystem:// 传输的目录(演示用)"),
    "HALL_SYNC_DECLARE": ("true", "是否由本大厅声明队列;使用各自账号时必须为 false"),
    "HALL_SYNC_BROKER_ACCOUNTS": (
        "空(不检查)",
        "各大厅 RabbitMQ 账号的前缀(`broker-provision --prefix`,如 `hall-`):"
        "收到的消息的 user_id 须为 前缀+发件站点,否则隔离",
    ),
    "HALL_SYNC_NAMESPACE": ("halls", "交换机与队列名前缀;同一 RabbitMQ 上的所有大厅必须相同"),
    "HALL_SYNC_KEY_FILE": (
        "<HALL_VAR_DIR>/keys/<站点>/sync.key",
        "本大厅的 Ed25519 私钥(首次启动生成,永不外传)",
    ),
    "HALL_SYNC_TRUST_DIR": (
        "<HALL_VAR_DIR>/trust",
        "固定信任的公钥目录(至少 county.pub);须在本大厅可写目录内",
    ),
    "HALL_SYNC_SIGN": ("ed25519", "签名方式;`hmac` 仅用于从上一版本升级"),
    "HALL_SYNC_HMAC": ("refuse", "是否接受 HMAC 签名;升级过渡期设 accept"),
    "HALL_SYNC_KEY_GRACE_S": ("604800", "密钥轮换后旧钥仍被接受的秒数"),
    "HALL_SYNC_KEYRING": ("空", "上一版本的 HMAC 密钥文件(升级过渡)"),
    "HALL_SYNC_MASTER_KEY": ("演示用", "上一版本的 HMAC 主密钥(升级过渡)"),
    "HALL_SYNC_MAX_BYTES": ("1000000", "单条消息最大字节数"),
    "HALL_SYNC_BATCH": ("500", "发件与收件的批量"),
    "HALL_SYNC_BACKOFF_MAX": ("30", "重连最长间隔(秒)"),
    "HALL_SYNC_APPLIER_MODULES": ("空", "额外的消息处理模块(测试用)"),
    "HALL_STATIC_FINDERS": (
        "true",
        "WhiteNoise 直接读各应用的静态文件目录;生产在启动时 collectstatic 后可设 false",
    ),
    "HALL_QUEUE_RATING_URL": ("/pingjia/paidui/{token}/", "叫号后评价页地址;空则不显示"),
    "HALL_SMS_GATEWAY": (
        "demo",
        "短信网关:`demo` 写入本大厅「短信记录」页(演示);`http` 发往短信服务商(生产)",
    ),
    "HALL_SMS_URL": ("空", "`http` 网关的地址(POST JSON,带 Idempotency-Key 头);http 时必填"),
    "HALL_SMS_ACCOUNT": ("空", "短信服务商分配的账号"),
    "HALL_SMS_SECRET": ("空", "短信服务商分配的密钥(随请求发送,勿写入日志)"),
    "HALL_SMS_SIGNATURE": ("空", "短信签名,如 `【青山县政务服务中心】`(服务商备案的签名)"),
    "HALL_SMS_TIMEOUT": ("10", "每次调用短信网关的超时秒数;超时记为失败并按退避重试"),
}
# Read by the test runner only, never by a hall.
TEST_VARIABLES = ("HALL_TEST_DATABASE_URL", "HALL_TEST_BROKER_URL", "HALL_TEST_WORKERS")


def env_table() -> str:
    """The variables as a Markdown table (runbook and README carry it verbatim)."""
    rows = ["| 变量 | 默认值 | 说明 |", "| --- | --- | --- |"]
    rows += [f"| `{name}` | {default} | {text} |" for name, (default, text) in VARIABLES.items()]
    return "\n".join(rows)

"""Settings every hall shares. The node's identity comes from the environment:

HALL_SITE          site code (county, t-maan, v-shiqiao, ...); must be in the site tree
HALL_DATABASE_URL  default: sqlite file var/<site>.sqlite3 (WAL, immediate transactions)
HALL_BROKER_URL    default: kombu filesystem:// under var/broker
HALL_VAR_DIR       where embedded data lives (default: <repo>/var)
"""

from __future__ import annotations

import dj_database_url

from deploy.env import ConfigError, env_bool, env_int, env_str, var_dir
from sites.registry.tree import SiteTreeError, load_tree, site_spec

try:
    HALL_SITE_SPEC = site_spec(env_str("HALL_SITE", "county"))
except SiteTreeError as exc:
    raise ConfigError(str(exc)) from exc
HALL_SITE = HALL_SITE_SPEC.code
HALL_TIER = HALL_SITE_SPEC.tier
HALL_COUNTY_URL = env_str("HALL_COUNTY_URL", "http://127.0.0.1:8000")
VAR_DIR = var_dir()

SECRET_KEY = env_str("HALL_SECRET_KEY", f"insecure-embedded-key-{HALL_SITE}")
DEBUG = env_bool("HALL_DEBUG", False)  # HALL_DEBUG=1: Django's debug pages
ALLOWED_HOSTS = env_str("HALL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "guardian",
    "graphene_django",
    "deploy",
    "sites.registry",
    "county.workdays",
    "county.catalogue",
    "county.rules",
    "permissions",
    "sync",
    "sites.cases",
    "sites.citizen",
    "sites.joint",
    "sites.workbench",
    "sites.queueing",
    "sites.delivery",
    "sites.guide",
    "sites.online",
    "county.readmodel",
    "county.graph",
    "county.assessment",
    "sites.feedback",
    "sites.notify",
    "county.supervision",
]
GRAPHENE = {
    "SCHEMA": "county.graph.schema.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    "ATOMIC_MUTATIONS": True,
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files (ADR 0011)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "deploy.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deploy.context.hall",
                "deploy.navigation.navigation",  # the menu by role (docs/decisions/0023)
            ]
        },
    }
]
WSGI_APPLICATION = "deploy.wsgi.application"


def database_config(url: str | None) -> dict:
    """A database URL to Django settings; SQLite gets WAL and immediate transactions."""
    url = url or f"sqlite:///{VAR_DIR / (HALL_SITE + '.sqlite3')}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets the web process, relay and consumer read while one writes;
            # IMMEDIATE takes the write lock at BEGIN, so writers queue instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    return pool_config(config)


# --- Application server and database connections (docs/decisions/0011-application-server.md)
# `hall node` serves with gunicorn (gthread): HALL_WEB_WORKERS processes of HALL_WEB_THREADS
# threads. It sets HALL_DB_POOL_MAX for the server it starts, so on PostgreSQL each worker
# holds a psycopg pool of at most that many connections (workers x threads per hall) and
# closes those idle for HALL_DB_POOL_IDLE seconds. Other processes (relay, consumer,
# worker, shells) keep one persistent connection each and no pool.
HALL_WEB_WORKERS = env_int("HALL_WEB_WORKERS", 1)
HALL_WEB_THREADS = env_int("HALL_WEB_THREADS", 4)
HALL_DB_POOL_MAX = env_int("HALL_DB_POOL_MAX", 0)
HALL_DB_POOL_IDLE = env_int("HALL_DB_POOL_IDLE", 60)


def pool_config(config: dict) -> dict:
    if HALL_DB_POOL_MAX <= 0 or config["ENGINE"] != "django.db.backends.postgresql":
        return config
    config["CONN_MAX_AGE"] = 0  # Django's pool requires it: the pool keeps the connections
    config.setdefault("OPTIONS", {})["pool"] = {
        "min_size": 0,
        "max_size": HALL_DB_POOL_MAX,
        "max_idle": HALL_DB_POOL_IDLE,
        "timeout": 10,  # a request waits this long for a free connection, then fails
    }
    return config


DATABASES = {"default": database_config(env_str("HALL_DATABASE_URL", "") or None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked (username, address) pair before the password is looked at
    "permissions.auth.LockoutBackend",  # django-axes
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "permissions.auth.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
# Staff login lockout (django-axes, permissions/auth.py, decision 0020): `failures` wrong
# passwords lock the pair (username, address) for `lock_minutes`, doubled for every further
# failure, at most `max_minutes`; the admin (访问尝试) or `hall staff-unlock` clears it.
HALL_LOGIN_LOCKOUT = {"failures": 5, "lock_minutes": 15, "max_minutes": 24 * 60}
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "permissions.auth.login_failure_limit"
AXES_COOLOFF_TIME = "permissions.auth.login_cool_off"
AXES_USERNAME_CALLABLE = "permissions.auth.login_username"
AXES_CLIENT_IP_CALLABLE = "permissions.auth.client_address"
AXES_LOCKOUT_CALLABLE = "permissions.auth.login_lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Citizens' case-status queries per client address: (limit, window seconds).
HALL_CITIZEN_QUERY_LIMITS = [(10, 60), (60, 3600)]
# Reverse proxies in front of the node whose X-Forwarded-For we trust (0: use REMOTE_ADDR).
HALL_TRUSTED_PROXY_HOPS = env_int("HALL_TRUSTED_PROXY_HOPS", 0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # citizens have no account; guardian keeps no anonymous user

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves straight from the apps' static folders (DEBUG on or off), so a fresh
# clone and the embedded demo need no collectstatic; production may collect into STATIC_ROOT
# at node start and set HALL_STATIC_FINDERS=0.
WHITENOISE_USE_FINDERS = env_bool("HALL_STATIC_FINDERS", True)
WHITENOISE_AUTOREFRESH = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Deny by default: an account needs a role at some site (permissions.rest.IsStaff);
    # every view narrows further through permissions.access.
    "DEFAULT_PERMISSION_CLASSES": ["permissions.rest.IsStaff"],
    "DEFAULT_PAGINATION_CLASS": "permissions.pagination.BoundedPagination",  # limits bounded
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "政务服务大厅平台 API",
    "DESCRIPTION": "县、乡镇、村三级政务服务大厅：事项目录、办件与同步。",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Messaging: the broker every hall publishes to; the filesystem transport needs no server.
HALL_BROKER_URL = env_str("HALL_BROKER_URL", "") or "filesystem://"
CELERY_BROKER_URL = HALL_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = f"celery-{HALL_SITE}"  # one hall never runs another's tasks
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / f"celerybeat-{HALL_SITE}")
# No remote control (its reply.celery.pidbox exchange and queues): a hall's broker account
# may configure only its own celery-<site> queue (sync/provision.py, issue 28).
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
if HALL_BROKER_URL.startswith("filesystem"):
    _celery_folder = VAR_DIR / "celery" / HALL_SITE
    _celery_folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_folder),
        "data_folder_out": str(_celery_folder),
        "control_folder": str(_celery_folder / "control"),  # default: ./control in the cwd
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(name)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Sync between halls (sync/). See docs/decisions/0003-sync-messaging.md.
HALL_BROKER_FOLDER = env_str("HALL_BROKER_FOLDER", "") or str(VAR_DIR / "broker")
HALL_SYNC_NAMESPACE = env_str("HALL_SYNC_NAMESPACE", "halls")  # exchange/queue name prefix
HALL_SYNC_KEYRING = env_str("HALL_SYNC_KEYRING", "")  # county-provisioned keys (JSON file)
HALL_SYNC_MASTER_KEY = env_str("HALL_SYNC_MASTER_KEY", "qingshan-embedded-demo-sync")
HALL_SYNC_MAX_BYTES = env_int("HALL_SYNC_MAX_BYTES", 1_000_000)
HALL_SYNC_BATCH = env_int("HALL_SYNC_BATCH", 500)  # relay publish / consumer apply batch
HALL_SYNC_BACKOFF_MAX = env_int("HALL_SYNC_BACKOFF_MAX", 30)  # seconds between reconnects
# Extra applier modules to import (the multi-node tests add their case-shaped test types).
HALL_SYNC_APPLIER_MODULES = [m for m in env_str("HALL_SYNC_APPLIER_MODULES", "").split(",") if m]
# sync/ knows the halls only through these (it imports no domain package): the site tree,
# the fan-in hall (the county: its read model hears every case message) and what the
# consumer runs at start (a hall without a catalogue asks the county for one).
HALL_SYNC_TREE = "sites.registry.tree.load_tree"
HALL_SYNC_FANIN = next(code for code, spec in load_tree().items() if spec.tier == "county")
HALL_SYNC_CONSUMER_START = ["county.catalogue.release.catalogue_ask_at_start"]

# SMS to applicants (sites/notify, docs/decisions/0027): "demo" writes the hall's 短信记录
# page; "http" posts to the provider at HALL_SMS_URL with account, secret and signature.
HALL_SMS_GATEWAY = env_str("HALL_SMS_GATEWAY", "demo")
if HALL_SMS_GATEWAY not in ("demo", "http"):
    raise ConfigError("HALL_SMS_GATEWAY must be demo or http")
HALL_SMS_URL = env_str("HALL_SMS_URL", "")
if HALL_SMS_GATEWAY == "http" and not HALL_SMS_URL.startswith(("http://", "https://")):
    raise ConfigError("HALL_SMS_GATEWAY=http needs HALL_SMS_URL (http:// or https://)")
HALL_SMS_ACCOUNT = env_str("HALL_SMS_ACCOUNT", "")
HALL_SMS_SECRET = env_str("HALL_SMS_SECRET", "")
HALL_SMS_SIGNATURE = env_str("HALL_SMS_SIGNATURE", "")
HALL_SMS_TIMEOUT = env_int("HALL_SMS_TIMEOUT", 10)  # seconds per gateway call

# Errors people see, in Chinese (deploy/errors.py). A request body beyond 2 MiB (forms and
# JSON; uploaded files stream under their own limit) is answered 413 before it is read.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "deploy.errors.api_exception_handler"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MIDDLEWARE.insert(1, "deploy.errors.RequestSizeLimit")
MIDDLEWARE.insert(2, "deploy.errors.MethodNotAllowedPage")  # a Chinese 405 page
CSRF_FAILURE_VIEW = "deploy.errors.csrf_failure"

# People's times (sites/registry/timefmt.py): |people_time and |people_date in every template.
TEMPLATES[0]["OPTIONS"]["builtins"] = ["sites.registry.timefmt", "deploy.display"]

# Swagger UI from the hall itself (halls run on intranets): drf-spectacular-sidecar's files.
INSTALLED_APPS.append("drf_spectacular_sidecar")
SPECTACULAR_SETTINGS.update(
    SWAGGER_UI_DIST="SIDECAR", SWAGGER_UI_FAVICON_HREF="SIDECAR", REDOC_DIST="SIDECAR"
)

# Hall keys (docs/decisions/0012): each hall signs with its own Ed25519 key (made on first
# use); public keys come pinned from HALL_SYNC_TRUST_DIR and then from the county's releases.
HALL_SYNC_KEY_FILE = env_str("HALL_SYNC_KEY_FILE", "") or str(
    VAR_DIR / "keys" / HALL_SITE / "sync.key"
)
HALL_SYNC_TRUST_DIR = env_str("HALL_SYNC_TRUST_DIR", "") or str(VAR_DIR / "trust")
HALL_SYNC_PUBLIC_KEYS = "county.hallkeys.selectors.hall_keys_distributed"
HALL_SYNC_SIGN = env_str("HALL_SYNC_SIGN", "ed25519")  # "hmac": for halls on the previous release
HALL_SYNC_HMAC = env_str("HALL_SYNC_HMAC", "refuse")  # "accept": while some halls still sign so
HALL_SYNC_KEY_GRACE_S = env_int("HALL_SYNC_KEY_GRACE_S", 7 * 86400)  # previous key accepted
INSTALLED_APPS.append("county.hallkeys")
HALL_SYNC_DECLARE = env_bool("HALL_SYNC_DECLARE", True)  # false with per-hall broker accounts
# The per-hall broker accounts' prefix (`hall broker-provision --prefix`, "hall-"): when set,
# a message whose AMQP user_id is not "<prefix><origin>" is quarantined (decision 0020).
HALL_SYNC_BROKER_ACCOUNTS = env_str("HALL_SYNC_BROKER_ACCOUNTS", "")
# amqps:// (ADR 0012): the CA that signed the broker's certificate; optional client cert.
HALL_BROKER_CA = env_str("HALL_BROKER_CA", "")
HALL_BROKER_CERT = env_str("HALL_BROKER_CERT", "")
HALL_BROKER_KEY = env_str("HALL_BROKER_KEY", "")
# Appointments and queue calling (sites/queueing): the rating page a served ticket links to
# (sites/feedback, 一次一评), with {token} and {label}; set it empty to show no link.
HALL_QUEUE_RATING_URL = env_str("HALL_QUEUE_RATING_URL", "/pingjia/paidui/{token}/")

"""Test settings: the county node; SQLite, or the database in HALL_TEST_DATABASE_URL."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("HALL_SITE", "county")
# pytest-xdist: each worker its own var folder (the filesystem broker, static files, keys),
# as it has its own test database (ADR 0019).
if _worker := os.environ.get("PYTEST_XDIST_WORKER"):
    _run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:12]
    _var = Path(os.environ.get("HALL_VAR_DIR") or Path(tempfile.gettempdir()) / f"hall-test-{_run}")
    if _var.name != _worker:
        _var = _var / _worker
        _var.mkdir(parents=True, exist_ok=True)
        os.environ["HALL_VAR_DIR"] = str(_var)

from deploy.settings.base import *  # noqa: F403
from deploy.settings.base import HALL_TIER, database_config
from deploy.settings.tiers import apply_overlay

apply_overlay(globals(), HALL_TIER)

DATABASES = {"default": database_config(os.environ.get("HALL_TEST_DATABASE_URL") or None)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

# Hall keys of the test run (tests/support/keys.py makes every hall's key there): the private
# key of each hall under <root>/<site>/, the public ones pinned in <root>/trust/.
_KEYS_ROOT = Path(tempfile.gettempdir()) / f"hall-test-keys-{os.getpid()}"
HALL_SYNC_KEY_FILE = str(_KEYS_ROOT / "{site}" / "sync.key")  # this hall's: sync/keys.py
HALL_SYNC_TRUST_DIR = str(_KEYS_ROOT / "trust")

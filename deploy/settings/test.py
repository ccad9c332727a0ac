"""Test settings: the county node; SQLite, or the database in HALL_TEST_DATABASE_URL."""

import os

os.environ.setdefault("HALL_SITE", "county")

from deploy.settings.base import *  # noqa: F403
from deploy.settings.base import HALL_TIER, database_config
from deploy.settings.tiers import apply_overlay

apply_overlay(globals(), HALL_TIER)

DATABASES = {"default": database_config(os.environ.get("HALL_TEST_DATABASE_URL") or None)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

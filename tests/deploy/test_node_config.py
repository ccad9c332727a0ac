"""A node is its configuration: unknown sites stop at once; platform/ never shadows the stdlib."""

import os
import subprocess
import sys
from pathlib import Path

from deploy.env import REPO_ROOT

HALL = str(Path(sys.executable).parent / "hall")


def run(*args, **env):
    return subprocess.run(
        args,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_an_unknown_site_code_stops_with_the_known_codes(tmp_path):
    result = run(
        HALL,
        "--site",
        "v-nowhere",
        "check",
        HALL_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="deploy.settings.node",
    )
    assert result.returncode != 0
    assert "unknown site code 'v-nowhere'" in result.stderr
    assert "v-shiqiao" in result.stderr


def test_the_stdlib_platform_module_wins_from_the_repo_root():
    result = run(sys.executable, "-c", "import platform; print(platform.system())")
    assert result.stdout.strip() == "Linux", result.stderr


def test_production_settings_refuse_to_start_without_secrets(tmp_path):
    result = run(
        sys.executable,
        "-c",
        "import deploy.settings.production",
        HALL_SECRET_KEY="",
        HALL_DATABASE_URL="",
        HALL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "HALL_SECRET_KEY" in result.stderr


def test_a_township_node_gets_its_tier_overlay(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.HALL_TIER, settings.HALL_AUTHORS_CATALOGUE)"
    )
    result = run(
        HALL,
        "--site",
        "t-maan",
        "shell",
        "-v",
        "0",
        "-c",
        code,
        HALL_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="deploy.settings.node",
    )
    assert result.stdout.split() == ["township", "False"], result.stderr


def test_production_settings_refuse_a_township_without_the_county_url(tmp_path):
    """HALL_COUNTY_URL silently defaulted to 127.0.0.1:8000 (issue 28)."""
    secrets = {
        "HALL_SECRET_KEY": "x" * 50,
        "HALL_DATABASE_URL": "postgres://h@127.0.0.1/h",
        "HALL_BROKER_URL": "amqp://h:p@127.0.0.1/h",
        "HALL_VAR_DIR": str(tmp_path),
        "HALL_SITE": "t-maan",
    }
    code = "import deploy.settings.production"
    result = run(sys.executable, "-c", code, HALL_COUNTY_URL="", **secrets)
    assert result.returncode != 0 and "HALL_COUNTY_URL" in result.stderr
    result = run(sys.executable, "-c", code, HALL_COUNTY_URL="https://county.example", **secrets)
    assert result.returncode == 0, result.stderr

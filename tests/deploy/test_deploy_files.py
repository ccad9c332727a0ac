"""deploy/: the systemd units start real `hall` commands; the compose file is valid where
the docker compose plugin is installed (CI machines without it skip that check)."""

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from deploy.env import REPO_ROOT

UNITS = sorted((REPO_ROOT / "deploy" / "systemd").glob("hall-*@.service"))


def _unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)  # Environment= repeats
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path)
    return parser


@pytest.mark.parametrize("path", UNITS, ids=[p.name for p in UNITS])
def test_each_unit_runs_a_hall_command_as_the_halls_user(path):
    unit = _unit(path)
    service = unit["Service"]
    argv = service["ExecStart"].split()
    assert argv[0] == "/opt/halls/.venv/bin/hall"
    assert argv[1] in get_commands(), argv
    assert service["User"] == "halls" and service["EnvironmentFile"] == "/etc/halls/%i.env"
    assert unit["Install"]["WantedBy"] == "hall@%i.target"


def test_every_process_kind_of_a_hall_has_a_unit():
    kinds = {p.name.split("@")[0].removeprefix("hall-") for p in UNITS}
    assert kinds == {"web", "relay", "consume", "worker", "station"}


def _compose() -> bool:
    if not shutil.which("docker"):
        return False
    done = subprocess.run(["docker", "compose", "version"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _compose(), reason="the docker compose plugin is not installed here")
def test_the_compose_file_is_valid():
    env = {
        **os.environ,
        **{
            name: "x"
            for name in (
                "POSTGRES_PASSWORD",
                "COUNTY_SECRET_KEY",
                "TMAAN_SECRET_KEY",
                "SHIQIAO_SECRET_KEY",
                "COUNTY_BROKER_URL",
                "TMAAN_BROKER_URL",
                "SHIQIAO_BROKER_URL",
            )
        },
    }
    done = subprocess.run(
        ["docker", "compose", "-f", str(REPO_ROOT / "deploy" / "compose.yaml"), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

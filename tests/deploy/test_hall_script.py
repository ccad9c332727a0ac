"""`./hall` leaves a production venv (the runbook's `pip install .`) alone: it never
reinstalls it with `pip -e .[dev]` (issue 28). A copy of the script in a folder of its own,
with a stand-in venv whose python and hall record how they were called."""

import shutil
import subprocess

from deploy.env import REPO_ROOT


def _venv(root, *, marked: bool):
    bin_ = root / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name in ("python", "hall"):
        (bin_ / name).write_text(f'#!/bin/sh\necho "{name} $*" >> "{root}/calls"\n')
        (bin_ / name).chmod(0o755)
    if marked:
        (root / ".venv" / ".installed").write_text("stale\n")


def _run(root) -> list[str]:
    shutil.copy(REPO_ROOT / "hall", root / "hall")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    subprocess.run(["sh", str(root / "hall"), "doctor"], check=True, capture_output=True)
    return (root / "calls").read_text().splitlines()


def test_a_venv_installed_by_the_runbook_is_not_reinstalled(tmp_path):
    _venv(tmp_path, marked=False)
    assert _run(tmp_path) == ["hall doctor"]


def test_the_development_venv_is_still_updated_when_pyproject_changes(tmp_path):
    _venv(tmp_path, marked=True)
    calls = _run(tmp_path)
    assert calls[0].startswith("python -m pip install") and "[dev]" in calls[0]
    assert calls[-1] == "hall doctor"

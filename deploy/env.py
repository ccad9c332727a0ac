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

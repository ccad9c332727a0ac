"""Every hall's signing key for a test run: private keys under <root>/<site>/sync.key (a
node's configuration names only its own), public keys pinned in <root>/trust/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings

from sync.keys import OwnKey, key_ensure


def keys_root() -> Path:
    """The test run's key folder (from the test settings: <root>/<site>/sync.key)."""
    return Path(settings.HALL_SYNC_KEY_FILE).parent.parent


def keys_make(root: Path, sites) -> None:
    for site in sites:
        key_ensure(site=site, path=root / site / "sync.key", trust_dir=root / "trust")


@cache
def signer(site: str, root: str | None = None) -> OwnKey:
    """The private key of `site` (for hand-made bodies signed as that hall)."""
    base = Path(root) if root else keys_root()
    return key_ensure(site=site, path=base / site / "sync.key", trust_dir=base / "trust")

"""The site tree as configuration: which halls exist, their tier and parent.

Read without Django so that settings can resolve the node's own tier at start-up and
refuse an unknown site code before anything else runs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_TREE_FILE = Path(__file__).resolve().parent / "data" / "halls.json"
TIERS = ("county", "township", "village")
PARENT_TIER = {"county": None, "township": "county", "village": "township"}


class SiteTreeError(ValueError):
    pass


@dataclass(frozen=True)
class SiteSpec:
    code: str
    name: str
    tier: str
    parent: str | None

    @property
    def path(self) -> str:
        return site_path(self.code)


def tree_file() -> Path:
    return Path(os.environ.get("HALL_SITES_FILE") or DEFAULT_TREE_FILE)


@cache
def load_tree(path: str | None = None) -> dict[str, SiteSpec]:
    """Parse and validate the tree file; keys are site codes, in file order."""
    source = Path(path) if path else tree_file()
    data = json.loads(source.read_text(encoding="utf-8"))
    specs: dict[str, SiteSpec] = {}
    for row in data["sites"]:
        spec = SiteSpec(row["code"], row["name"], row["tier"], row.get("parent"))
        if spec.tier not in TIERS:
            raise SiteTreeError(f"{spec.code}: unknown tier {spec.tier!r}")
        if spec.code in specs:
            raise SiteTreeError(f"{spec.code}: listed twice")
        specs[spec.code] = spec
    for spec in specs.values():
        want = PARENT_TIER[spec.tier]
        parent = specs.get(spec.parent) if spec.parent else None
        if want is None and spec.parent:
            raise SiteTreeError(f"{spec.code}: a county hall has no parent")
        if want and (parent is None or parent.tier != want):
            raise SiteTreeError(f"{spec.code}: the parent of a {spec.tier} must be a {want}")
    return specs


def site_spec(code: str) -> SiteSpec:
    tree = load_tree()
    if code not in tree:
        known = ", ".join(tree)
        raise SiteTreeError(f"unknown site code {code!r}; known codes: {known}")
    return tree[code]


def site_path(code: str) -> str:
    """Materialised path like 'county/t-maan/v-shiqiao/': a subtree is a prefix match."""
    tree = load_tree()
    parts = []
    node: str | None = code
    while node:
        parts.append(node)
        node = tree[node].parent
    return "/".join(reversed(parts)) + "/"

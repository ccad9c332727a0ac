"""Tier as one object (issue 23 item 3, ADR 0026): capabilities declared once per tier."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sites.registry.tier import CAPABILITY_NAMES, TIERS, here, of, only_where
from sites.registry.tree import TIERS as TREE_TIERS

ROOT = Path(__file__).resolve().parents[2]
COMPARISON = re.compile(r"HALL_TIER\s*[!=]=")


def test_every_tier_of_the_tree_declares_every_capability():
    assert set(TIERS) == set(TREE_TIERS)
    for name, caps in TIERS.items():
        assert caps.tier == name
        assert all(isinstance(getattr(caps, c), bool) for c in CAPABILITY_NAMES)


def test_only_the_county_keeps_the_read_model_and_authors_the_catalogue():
    assert [t for t, c in TIERS.items() if c.keeps_read_model] == ["county"]
    assert [t for t, c in TIERS.items() if c.authors_catalogue] == ["county"]
    assert [t for t, c in TIERS.items() if not c.asks_county] == ["county"]
    assert of("township").has_villages and not of("village").has_villages


def test_here_follows_the_node_tier(settings):
    settings.HALL_TIER = "county"
    assert here().keeps_read_model
    settings.HALL_TIER = "village"
    assert not here().keeps_read_model and here().asks_county


def test_only_where_runs_the_handler_where_the_capability_is(settings):
    calls = []

    @only_where("keeps_read_model")
    def handler(x):
        calls.append(x)
        return x

    settings.HALL_TIER = "county"
    assert handler(1) == 1
    settings.HALL_TIER = "township"
    assert handler(2) is None
    assert calls == [1]


def test_only_where_refuses_an_unknown_capability():
    with pytest.raises(LookupError):
        only_where("is_county")


def test_no_tier_string_comparison_outside_the_capabilities_module():
    found = []
    for top in ("platform", "sites", "sync", "permissions", "deploy"):
        for path in (ROOT / top).rglob("*.py"):
            if path == ROOT / "sites/registry/tier.py":
                continue
            if COMPARISON.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(ROOT)))
    assert found == []

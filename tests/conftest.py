"""Shared fixtures live in tests/support/fixtures.py (tree, halls, at_site, township, village,
hall_keys); this file registers them for every folder and orders the run (ADR 0019)."""

pytest_plugins = ["tests.support.fixtures"]


def pytest_collection_modifyitems(config, items):
    """Tests that start node processes first: with two workers the long ones do not end
    up alone at the tail of the run."""
    items.sort(key=lambda item: item.get_closest_marker("multinode") is None)

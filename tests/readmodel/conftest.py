"""The shared fixtures (halls, at_site) come from tests/support/fixtures.py."""

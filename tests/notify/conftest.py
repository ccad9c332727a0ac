"""The shared fixtures (tests/support/fixtures.py) under the names this folder uses."""

from tests.support.fixtures import at_site, halls, township, village

__all__ = ["at_site", "halls", "township", "village"]

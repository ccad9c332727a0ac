"""The shared fixtures (tests/support/fixtures.py) under the names other folders import."""

from django.test import override_settings

from tests.support.fixtures import at_site, halls, township, village

__all__ = ["at_site", "halls", "override_settings", "township", "village"]

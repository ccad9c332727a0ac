import pytest
from django.test import override_settings


@pytest.fixture
def halls(tree):
    """Tree, departments, the calendar from chinese-calendar, the sample catalogue."""
    from county.catalogue.sample import catalogue_load_sample
    from county.workdays.services import calendar_seed_from_library
    from tests.cases.factories import catalogue_backdate

    calendar_seed_from_library()
    catalogue_load_sample()
    catalogue_backdate()
    return tree


@pytest.fixture
def at_site(settings):
    """Switch this test's node identity: at_site('t-maan')."""

    def switch(code: str):
        settings.HALL_SITE = code
        return code

    return switch


@pytest.fixture
def township(halls, at_site):
    at_site("t-maan")
    return halls["t-maan"]


@pytest.fixture
def village(halls, at_site):
    at_site("v-shiqiao")
    return halls["v-shiqiao"]


__all__ = ["override_settings"]

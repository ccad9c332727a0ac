"""Fixtures shared by every test folder (a `pytest_plugins` module: tests/conftest.py).

`tree` and `halls` are reference data built once per test database and then re-inserted
in milliseconds (tests/support/snapshot.py, ADR 0019); what a test sees is unchanged.
"""

import pytest

from tests.support.snapshot import layer


def _sites() -> dict:
    from sites.registry.models import Site

    return {site.code: site for site in Site.objects.all()}


def tree_load() -> None:
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()


def halls_load() -> None:
    from county.catalogue.sample import catalogue_load_sample
    from county.workdays.services import calendar_seed_from_library
    from tests.cases.factories import catalogue_backdate

    calendar_seed_from_library()
    catalogue_load_sample()
    catalogue_backdate()


@pytest.fixture(scope="session", autouse=True)
def hall_keys():
    """Every hall's signing key of this test run, made before anything signs or verifies
    (the public ones pinned where the test settings' trust folder is): ADR 0012."""
    from sync.config import site_codes
    from tests.support.keys import keys_make, keys_root

    keys_make(keys_root(), site_codes())


@pytest.fixture
def tree(db):
    """The configured site tree and the departments, as every node loads them."""
    layer("tree", tree_load)
    return _sites()


@pytest.fixture
def halls(tree):
    """Tree, departments, the calendar from chinese-calendar, the sample catalogue (with its
    delegations and release), back-dated 400 days."""
    layer("halls", halls_load)
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

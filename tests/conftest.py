"""Shared fixtures: the sample site tree and departments in the test database."""

import pytest


@pytest.fixture
def tree(db):
    """The configured site tree and the departments, as every node loads them."""
    from sites.registry.models import Site
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    return {site.code: site for site in Site.objects.all()}


@pytest.fixture(scope="session", autouse=True)
def hall_keys():
    """Every hall's signing key of this test run, made before anything signs or verifies
    (the public ones pinned where the test settings' trust folder is): ADR 0012."""
    from sync.config import site_codes
    from tests.support.keys import keys_make, keys_root

    keys_make(keys_root(), site_codes())

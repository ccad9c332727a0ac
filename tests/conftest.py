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

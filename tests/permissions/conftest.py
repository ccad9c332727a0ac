"""Fixtures of the permissions tests: the tree with the sample catalogue, staff per role."""

import pytest

from tests.permissions.factories import PROFILES, staff
from tests.support.snapshot import layer


@pytest.fixture
def catalogue(tree):
    """The site tree, departments and the sample catalogue (with its delegations)."""
    from county.catalogue.sample import catalogue_load_sample

    layer("catalogue", catalogue_load_sample)  # built once, re-inserted after (ADR 0019)
    return tree


@pytest.fixture
def people(catalogue):
    """One account per profile (role at a site), keyed like PROFILES."""
    return {
        key: staff(catalogue[site], role, username=key) for key, (role, site) in PROFILES.items()
    }

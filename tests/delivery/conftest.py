import pytest

from permissions.roles import Role
from tests.cases.factories import case_make
from tests.permissions.factories import staff


@pytest.fixture
def clerk(township):
    return staff(township, Role.CLERK)


@pytest.fixture
def concluded(clerk):
    """A case concluded at 马鞍镇 (its result 待领取 there)."""
    return case_make(by=clerk, state="concluded")

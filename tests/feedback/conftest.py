import pytest

from tests.assessment.conftest import record, windows  # noqa: F401  (shared fixtures)


@pytest.fixture
def served(halls):
    """A case concluded at the county's 3号 window (民政局) by 张三, and its query code."""
    from sites.cases import services
    from sites.registry.models import Department, Staff
    from sites.registry.services import window_open
    from tests.cases.factories import case_make, clerk

    county = halls["county"]
    user = clerk(county, "张三")
    dept = (
        Department.objects.get(code="mzj")
        if Department.objects.filter(code="mzj").exists()
        else Department.objects.first()
    )
    window = window_open(site=county, department=dept, number="3", name="民政窗口")
    Staff.objects.filter(user=user).update(window=window)
    case = case_make(by=user, state="concluded")
    case.refresh_from_db()
    return case, user, services

import pytest


@pytest.fixture
def hall(township):
    """马鞍镇 with two windows of 民政局 and one of 人社局."""
    from sites.registry.models import Department
    from sites.registry.services import window_open

    mzj, rsj = Department.objects.get(code="mzj"), Department.objects.get(code="rsj")
    window_open(site=township, department=mzj, number="1", name="民政窗口")
    window_open(site=township, department=mzj, number="2", name="民政窗口")
    window_open(site=township, department=rsj, number="3", name="人社窗口")
    return township

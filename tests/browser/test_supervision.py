"""A county supervisor opens the dashboard, sees a township's red cases and issues an order."""

import re
from datetime import date

import pytest

from county.supervision.alerts import alerts_tick
from county.supervision.models import SupervisionOrder
from permissions.roles import Role
from permissions.services import staff_create
from tests.supervision.conftest import month  # noqa: F401  (the hand-counted month)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Qingshan-Dianzi-77!"
D = "t-maan-20261110-0001"
ENGLISH = re.compile(r"\b(None|True|False|overdue|warning|open|answered|mzj|scjg)\b")


@pytest.fixture
def supervisor(month, halls):  # noqa: F811
    alerts_tick(today=date(2026, 11, 25))  # D and H have run past their deadlines
    return staff_create(
        username="county-jiancha",
        name="赵监察",
        site=halls["county"],
        roles=[Role.COUNTY_SUPERVISOR],
        password=PASSWORD,
    )


def test_supervisor_sees_red_cases_of_a_township_and_issues_an_order(
    page, login, supervisor, screenshot
):
    login(page, "county-jiancha", PASSWORD)
    page.goto(f"{page.base_url}/jiancha/?site=t-maan&kind=month&period=2026-11")
    page.wait_for_function("document.querySelector('#trend canvas') !== null")
    screenshot(page, "dashboard")
    text = page.inner_text("body")
    assert "马鞍镇便民服务中心(含下级站点) · 2026年11月" in text
    assert "60.00%" in text  # 办结率 as counted by hand (tests/supervision/test_figures.py)
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)
    reds = page.locator("#reds tbody tr")
    assert reds.count() == 2 and D in page.inner_text("#reds")
    # When the supervisor orders t-maan's window to decide D
    page.locator("#reds tr", has_text=D).get_by_role("link", name="督办").click()
    page.wait_for_url(re.compile(r"/jiancha/duban/xin/"))
    page.fill("textarea[name=reason]", "申请人符合条件，承诺时限已过，请即作出决定")
    page.fill("input[name=days]", "2")
    screenshot(page, "order-form")
    page.click("button:has-text('发出督办')")
    page.wait_for_url(re.compile(r"/jiancha/duban/$"))
    screenshot(page, "orders")
    # Then the order is listed, addressed to the township's 民政局 window
    row = page.inner_text("#orders")
    assert D in row and "民政局" in row and "待答复" in row
    order = SupervisionOrder.objects.get()
    assert (order.site_code, order.department_code, order.days) == ("t-maan", "mzj", 2)

"""The front page in Chromium: anonymous visitors and a clerk after login, all in Chinese."""

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from tests.browser.test_workbench import chinese_only

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Shouye-2026!"


def test_the_front_page_before_and_after_login(page, login, township, screenshot):
    page.goto(page.base_url + "/")
    text = chinese_only(page)
    assert "工作人员登录" in text and "办件进度查询" in text
    staff_create(
        username="maan-chief",
        name="郑十一",
        site=township,
        roles=[Role.CHIEF_REPRESENTATIVE],
        password=PASSWORD,
    )
    login(page, "maan-chief", PASSWORD)
    assert page.url.rstrip("/") == page.base_url.rstrip("/")  # login lands on the start
    text = chinese_only(page)
    assert "郑十一，您好" in text and "待办办件" in text and "集中会签" in text
    assert "工作人员登录" not in text
    screenshot(page, "start")

"""送达 by clicking (issue 26 item 3): the citizen brings the 办结通知书 with its pickup code
to the window; the clerk finds the result under 结果送达, checks the code and the ID card and
records it; the citizen's query at /chaxun/ then shows 已领取."""

from __future__ import annotations

import re

import pytest

from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure
from sites.delivery.models import Delivery, DeliveryStatus
from tests.browser.support import assert_accessible, chinese_only, menu
from tests.browser.test_accessibility import clerks_may_sign_for_mzj
from tests.cases.factories import ID_NUMBER
from tests.delivery.conftest import concluded_with_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_citizen_collects_at_the_window_and_the_query_shows_collected(
    page, login, township, settings, screenshot
):
    settings.HALL_TIER = "township"
    settings.HALL_COUNTY_URL = "http://127.0.0.1:9"  # the county is out of reach: local answer
    demo_staff_ensure()
    clerks_may_sign_for_mzj()
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="t-maan-clerk")
    case, query_code = concluded_with_code(by=clerk)
    pickup = Delivery.objects.get(case=case).pickup_code  # as printed on the 办结通知书

    # the citizen asks first: 待领取
    page.goto(page.base_url)
    menu(page, "办件查询")
    page.fill("#number", case.number)
    page.fill("#query_code", query_code)
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "待领取" in page.inner_text("#delivery-status")
    screenshot(page, "1-citizen-pending")

    # at the window
    login(page, "t-maan-clerk", DEMO_PASSWORD)
    menu(page, "结果送达")
    chinese_only(page)
    row = page.locator(f"tr[data-number='{case.number}']")
    row.get_by_role("link", name="登记送达").click()
    page.wait_for_url(re.compile(r"/gongzuotai/songda/[^/]+/$"))
    page.fill("#lingqu-pickup_code", "000000" if pickup != "000000" else "111111")
    page.fill("#lingqu-collector_id_number", ID_NUMBER)
    page.get_by_role("button", name="登记领取").click()
    page.wait_for_load_state()
    assert "取件码不正确" in page.inner_text("#lingqu-pickup_code-error")  # beside the field
    screenshot(page, "2-wrong-code")
    page.fill("#lingqu-pickup_code", pickup)
    page.fill("#lingqu-collector_id_number", ID_NUMBER)
    page.get_by_role("button", name="登记领取").click()
    page.wait_for_url(re.compile(r"\?done=lingqu$"))
    assert "已领取" in page.inner_text("#delivery-status")
    assert ID_NUMBER not in page.inner_text("main")
    chinese_only(page)
    assert_accessible(page)
    screenshot(page, "3-collected")
    assert Delivery.objects.get(case=case).status == DeliveryStatus.COLLECTED

    # the citizen's query now says 已领取
    page.context.clear_cookies()
    page.goto(page.base_url)
    menu(page, "办件查询")
    page.fill("#number", case.number)
    page.fill("#query_code", query_code)
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "已领取" in page.inner_text("#delivery-status")
    chinese_only(page)
    screenshot(page, "4-citizen-collected")

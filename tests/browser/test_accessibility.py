"""axe-core on the main pages of each role: no serious or critical violation; and the clerk's
收件 → 受理 → 办结 with the keyboard alone. axe runs from the committed local file
(tests/browser/support.py); every page's result is kept in $HALL_VAR_DIR/screens/axe.jsonl."""

from __future__ import annotations

import pytest

from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure
from sites.cases.models import Case, CaseStatus
from tests.browser.support import assert_accessible
from tests.cases.factories import ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

CITIZEN = [
    "/",
    "/zhinan/",
    "/zhinan/mzj-002/",
    "/yuyue/",
    "/quhao/",
    "/chaxun/",
    "/pingjia/",
    "/wangshang/chaxun/",
    "/xianshi/",
    "/accounts/login/",
    "/no-such-page/",
]
ROLES = {
    "t-maan": {
        "t-maan-clerk": [
            "/",
            "/gongzuotai/",
            "/gongzuotai/shoujian/?item=mzj-002",
            "/gongzuotai/jiaohao/",
            "/gongzuotai/yushen/",
            "/jiancha/yujing/",
        ],
        "t-maan-chief": ["/gongzuotai/huiqian/"],
    },
    "v-shiqiao": {"v-shiqiao-agent": ["/", "/gongzuotai/shoujian/", "/gongzuotai/daiban/"]},
    "county": {
        "county-supervisor": [
            "/",
            "/jiancha/",
            "/jiancha/duban/",
            "/kaohe/",
            "/kaohe/tousu/",
            "/guize/",
            "/gongzuotai/lianban/tingzhi/",
        ],
    },
}


def check(page, url):
    page.goto(page.base_url + url)
    page.wait_for_load_state()
    assert_accessible(page)


def test_citizen_pages(page, township):
    for url in CITIZEN:
        check(page, url)


@pytest.mark.parametrize("hall", list(ROLES))
def test_staff_pages(hall, page, login, halls, at_site):
    at_site(hall)
    demo_staff_ensure()
    for username, urls in ROLES[hall].items():
        page.context.clear_cookies()
        login(page, username, DEMO_PASSWORD)
        for url in urls:
            check(page, url)


def clerks_may_sign_for_mzj() -> None:
    """The county authorises the 民政 window's clerks to sign (rule `cases.signatures`,
    seed 001 第十五条: by default only the 首席代表 signs)."""
    from django.utils import timezone

    from county.rules.models import Rule

    Rule.objects.create(
        key="cases.signatures",
        scope="department:mzj",
        value={"chief_signs": False},
        changed_at=timezone.now(),
    )


def test_keyboard_only_intake_accept_and_decide(page, login, township):
    """A clerk files, accepts and decides a case without the mouse (Tab, Space, Enter)."""
    demo_staff_ensure()
    clerks_may_sign_for_mzj()
    login(page, "t-maan-clerk", DEMO_PASSWORD)
    keys = page.keyboard

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            keys.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    tab_to("nav.hall-nav a[href='/gongzuotai/shoujian/']")
    with page.expect_navigation():
        keys.press("Enter")
    tab_to("select[name=item]")
    value = page.locator("select[name=item]").evaluate(
        "s => [...s.options].find(o => o.text.includes('临时救助') || o.value === 'mzj-002').value"
    )
    page.locator("select[name=item]").select_option(value)  # the keyboard's choice in a select
    tab_to("form[method=get] [type=submit]")
    with page.expect_navigation():
        keys.press("Enter")
    tab_to("input[name=applicant_name]")
    keys.type("李四")
    tab_to("input[name=applicant_id_number]")
    keys.type(ID_NUMBER)
    tab_to("input[name=applicant_phone]")
    keys.type(PHONE)
    tab_to("main form[method=post] [type=submit]")
    with page.expect_navigation():
        keys.press("Enter")
    tab_to("button[value=accept]")
    with page.expect_navigation():
        keys.press("Enter")
    tab_to("a[href*='/gongzuotai/banjian/']")  # 返回办件 on the notice
    with page.expect_navigation():
        keys.press("Enter")
    tab_to("input[name=outcome][value=approved]")
    keys.press("Space")
    tab_to("button[value=decide]")
    with page.expect_navigation():
        keys.press("Enter")
    assert Case.objects.get().status == CaseStatus.CONCLUDED

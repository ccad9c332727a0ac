"""A township clerk works a case from intake to decision in real Chromium, by the pages only."""

import re

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case, CaseStatus
from tests.cases.factories import ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Gongzuotai-2026!"
# English words a Chinese clerk's page must not show (labels, buttons, states).
ENGLISH = re.compile(
    r"\b(Submit|Login|Logout|Search|Accept|Decide|Next|Previous|Page|None|True|False|"
    r"submitted|accepted|suspended|concluded|on_time|overdue|warning)\b"
)


@pytest.fixture
def clerk(halls, at_site):
    site = halls[at_site("t-maan")]
    return staff_create(
        username="maan-clerk",
        name="王五",
        site=site,
        roles=[Role.CHIEF_REPRESENTATIVE],  # takes in and signs (seed 001 第十五条)
        password=PASSWORD,
    )


def chinese_only(page):
    text = page.inner_text("body")
    assert not ENGLISH.search(text), ENGLISH.search(text).group(0)
    return text


def test_clerk_intake_supplement_decision_and_notices(page, login, clerk, screenshot):
    login(page, "maan-clerk", PASSWORD)
    base = page.base_url
    page.goto(f"{base}/gongzuotai/shoujian/?item=mzj-002")
    page.uncheck("input[value=困难情况证明材料]")
    page.fill("input[name=applicant_name]", "李四")
    page.fill("input[name=applicant_id_number]", "110105194912310021")  # bad checksum
    page.fill("input[name=applicant_phone]", PHONE)
    page.click("button:has-text('收件')")
    assert page.inner_text("#id_applicant_id_number-error")  # the error beside the field
    page.fill("input[name=applicant_id_number]", ID_NUMBER)
    page.click("button:has-text('收件')")
    screenshot(page, "intake-after")
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/"))
    chinese_only(page)
    screenshot(page, "case-submitted")

    page.click("button[value=accept]")
    code = page.inner_text(".code")
    assert "承诺件通知书" in page.inner_text("h1") and len(code) >= 6
    screenshot(page, "acceptance-notice")
    number = Case.objects.get().number
    page.goto(f"{base}/gongzuotai/banjian/{number}/")

    page.fill("textarea[name=items]", "   ")  # passes `required`, refused by the service
    page.click("button[value=supplement]")
    assert page.inner_text("#id_supplement_items-error")  # the error beside the field
    assert page.is_visible(".error-summary a[href='#id_supplement_items']")
    screenshot(page, "case-action-error")
    page.fill("textarea[name=items]", "收入证明")
    page.click("button[value=supplement]")
    assert "补正中" in page.inner_text("#status")
    page.click("button[value=supplement_complete]")
    page.check("input[name=names][value=困难情况证明材料]")
    page.click("button[value=materials]")
    page.check("input[name=outcome][value=approved]")
    page.fill("input[name=opinion]", "符合条件")
    page.click("button[value=decide]")
    assert "已办结" in page.inner_text("#status")
    text = chinese_only(page)
    assert "补办件通知书" in text and "许可决定书" not in text  # each notice by its title
    screenshot(page, "case-concluded")
    page.click("a:has-text('办结通知书')")
    assert "办结通知书" in page.inner_text("h1")  # 临时救助 is no licence (seed 001)
    screenshot(page, "decision-notice")
    page.goto(f"{base}/gongzuotai/")
    chinese_only(page)
    screenshot(page, "inbox")
    assert Case.objects.get().status == CaseStatus.CONCLUDED


def test_keyboard_only_intake(page, login, clerk):
    login(page, "maan-clerk", PASSWORD)
    page.goto(f"{page.base_url}/gongzuotai/shoujian/?item=mzj-002")
    page.focus("input[name=applicant_name]")
    page.keyboard.type("李四")
    page.keyboard.press("Tab")
    page.keyboard.type(ID_NUMBER)
    page.keyboard.press("Tab")
    page.keyboard.type(PHONE)
    page.keyboard.press("Tab")  # to the 收件 button
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/"))
    assert Case.objects.get().applicant_name == "李四"

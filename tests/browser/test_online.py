"""A citizen applies online with uploads; a clerk pre-reviews it in the workbench and takes it
in as a case; the citizen's status page hands over the case's query code once."""

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case, CaseStatus
from tests.cases.factories import ID_NUMBER, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Gongzuotai-2026!"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def maan(halls, at_site):
    site = halls[at_site("t-maan")]
    staff_create(
        username="maan-clerk", name="王五", site=site, roles=[Role.CLERK], password=PASSWORD
    )
    return site


def test_online_application_prereview_take_in_and_status(page, browser, login, maan, screenshot):
    base = page.base_url
    page.goto(f"{base}/zhinan/mzj-002/")
    page.click("main a:has-text('网上申报')")
    page.fill("input[name=applicant_name]", "李四")
    page.fill("input[name=applicant_id_number]", ID_NUMBER)
    page.fill("input[name=applicant_phone]", PHONE)
    for i, name in enumerate(("id.pdf", "form.pdf")):
        page.set_input_files(
            f"input[name=file-{i}]", {"name": name, "mimeType": "application/pdf", "buffer": PDF}
        )
    screenshot(page, "apply")
    page.click("button:has-text('提交申报')")
    number = page.inner_text("#receipt-number").strip()
    code = page.inner_text("#receipt-code strong").strip()
    screenshot(page, "receipt")

    clerk = browser.new_page()
    login(clerk, "maan-clerk", PASSWORD)
    clerk.goto(f"{base}/gongzuotai/yushen/")
    clerk.click(f"a:has-text('{number}')")
    text = clerk.inner_text("main")
    assert ID_NUMBER not in text and PHONE not in text and "138****5678" in text
    screenshot(clerk, "prereview")
    clerk.click("button:has-text('预审通过')")
    assert "已转为办件" in clerk.inner_text("#query-code")
    case = Case.objects.get()
    assert case.status == CaseStatus.ACCEPTED
    clerk.close()

    page.goto(f"{base}/wangshang/chaxun/")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.click("button:has-text('查询')")
    assert case.number in page.inner_text("#result")
    assert len(page.inner_text("#case-code")) == 8
    screenshot(page, "status")

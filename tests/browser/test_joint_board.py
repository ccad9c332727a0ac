"""A county supervisor reassigns a stalled 联办件 part from the board, in real Chromium; the
chief representative's 集中会签 page reads in Chinese."""

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from sites.joint.models import Part
from tests.browser.test_workbench import chinese_only
from tests.joint.conftest import joint_case
from tests.workbench.test_joint_pages import SPREAD, answered, stall

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Jianguan-2026!"


def test_a_supervisor_reassigns_a_stalled_part(page, login, joint, lead_clerk, screenshot):
    staff_create(
        username="county-supervisor",
        name="钱八",
        site=joint["county"],
        roles=[Role.COUNTY_SUPERVISOR],
        password=PASSWORD,
    )
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    stall(case)
    login(page, "county-supervisor", PASSWORD)
    page.goto(f"{page.base_url}/gongzuotai/lianban/tingzhi/")
    chinese_only(page)
    screenshot(page, "board")
    row = page.locator(f"tr[data-part='{case.number}:hbj']")
    row.locator("select[name=site]").select_option("t-huangtan")
    row.locator("input[name=reason]").fill("马鞍镇停电，改由黄滩镇办理")
    row.locator("button:has-text('改派')").click()
    page.wait_for_selector("#done")
    assert "已改派至" in page.inner_text("#done")
    chinese_only(page)
    screenshot(page, "after")
    part = Part.objects.get(case=case, department__code="hbj")
    assert part.site.code == "t-huangtan" and part.reassignments[0]["reason"].startswith("马鞍镇")


def test_the_chiefs_countersign_page(page, login, joint, lead_clerk, screenshot):
    staff_create(
        username="county-chief",
        name="孙九",
        site=joint["county"],
        roles=[Role.CHIEF_REPRESENTATIVE],
        password=PASSWORD,
    )
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    answered(case)
    login(page, "county-chief", PASSWORD)
    page.goto(f"{page.base_url}/gongzuotai/huiqian/")
    chinese_only(page)
    screenshot(page, "ready")
    section = page.locator(f"#case-{case.number}")
    section.locator("input[name=outcome][value=approved]").check()
    section.locator("button:has-text('会签办结')").click()
    page.wait_for_url(f"**/banjian/{case.number}/")
    assert "已办结" in page.inner_text("#status")

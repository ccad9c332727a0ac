"""In real Chromium: a citizen rates a concluded case on a phone-sized screen, and the
county supervisor reads the month's ranking with the red flag and exports it."""

import re

import pytest

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.querycode import query_code_hash
from sites.feedback.models import Rating

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Kaohe-Test-2026!"
CODE = "ABCD2345"
ENGLISH = re.compile(r"\b(Submit|None|True|False|very_satisfied|dissatisfied|fair|red_flag)\b")


@pytest.fixture
def concluded(halls):
    from tests.cases.factories import case_make, clerk

    case = case_make(by=clerk(halls["county"]), state="concluded")
    case.query_code_hash = query_code_hash(number=case.number, code=CODE)
    case.save(update_fields=["query_code_hash"])
    return case


def test_a_citizen_rates_on_a_phone(page, concluded, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/pingjia/")
    page.fill("input[name=number]", concluded.number)
    page.fill("input[name=query_code]", CODE)
    page.click("button:has-text('查询')")
    page.check("input[value=satisfied]")
    page.fill("textarea[name=comment]", "办事很快")
    screenshot(page, "before")
    page.click("button:has-text('提交评价')")
    assert "感谢您的评价" in page.inner_text("[role=status]")
    text = page.inner_text("body")
    assert "满意" in text and not ENGLISH.search(text)
    screenshot(page, "after")
    assert Rating.objects.get().level == "satisfied"


def test_the_county_reads_the_ranking(page, login, halls, screenshot):
    from datetime import date

    from county.assessment.services import points_record, window_ref

    staff_create(
        username="kaohe",
        name="督查员",
        site=halls["county"],
        roles=[Role.COUNTY_SUPERVISOR],
        password=PASSWORD,
    )
    names = ["民政窗口", "人社窗口", "卫健窗口", "市场监管窗口"]
    windows = [
        window_ref(site_code="county", number=str(i + 1), name=n, site_name="青山县政务服务中心")
        for i, n in enumerate(names)
    ]
    for i, (rule, times) in enumerate(
        [("promised_to_instant", 1), ("written_thanks", 1), ("dissatisfied", 2), ("untidy", 0)]
    ):
        for k in range(times):
            points_record(
                window=windows[i],
                rule=rule,
                source_type="county_entry",
                source_id=f"{i}-{k}",
                occurred_on=date(2026, 11, 3),
            )
    login(page, "kaohe", PASSWORD)
    page.goto(f"{page.base_url}/kaohe/?year=2026&month=11")
    rows = page.locator("#quarterly tbody tr")
    assert "民政窗口" in rows.nth(0).inner_text() and "流动红旗" in rows.nth(0).inner_text()
    assert "优秀窗口" in rows.nth(1).inner_text()
    monthly = page.inner_text("#monthly")
    assert "105" in monthly and "96" in monthly
    assert not ENGLISH.search(page.inner_text("body"))
    screenshot(page, "ranking")
    with page.expect_download() as info:
        page.click("a:has-text('导出Excel')")
    assert info.value.suggested_filename == "kaohe-2026-11.xlsx"


def test_the_window_device_on_a_tablet(page, login, concluded, halls, screenshot):
    staff_create(
        username="chuangkou",
        name="窗口员",
        site=halls["county"],
        roles=[Role.CLERK],
        password=PASSWORD,
    )
    login(page, "chuangkou", PASSWORD)
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{page.base_url}/pingjia/chuangkou/{concluded.number}/")
    screenshot(page, "device")
    page.click("button:has-text('非常满意')")
    assert "感谢您的评价" in page.inner_text("[role=status]")
    assert Rating.objects.get().channel == "window"

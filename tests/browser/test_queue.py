"""A citizen reads the guide, books a slot, checks in at the kiosk, is called to a window on
the hall's big screen (spoken), is served and rates that service by the link on the slip
(一次一评); the hall's waiting statistics show it."""

import re

import pytest

from county.rules.models import Rule
from permissions.roles import Role
from permissions.services import staff_create
from sites.feedback.models import Rating
from sites.queueing.models import Ticket, TicketStatus
from sites.registry.models import Department
from sites.registry.services import window_open

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Gongzuotai-2026!"
PHONE = "13812345678"


@pytest.fixture
def maan(halls, at_site):
    site = halls[at_site("t-maan")]
    mzj = Department.objects.get(code="mzj")
    window_open(site=site, department=mzj, number="1", name="民政窗口")
    window_open(site=site, department=Department.objects.get(code="rsj"), number="3")
    # The test may run at any hour: check-in is allowed long before the slot booked.
    Rule.objects.create(
        key="queueing.hours",
        scope="site:t-maan",
        value={"checkin_early_minutes": 30 * 24 * 60},
        changed_at="2026-12-01T00:00:00Z",
    )
    staff_create(
        username="maan-clerk", name="王五", site=site, roles=[Role.CLERK], password=PASSWORD
    )
    return site


def test_guide_booking_check_in_display_call_and_statistics(
    page, browser, login, maan, screenshot, settings
):
    base = page.base_url
    # 办事指南 in the kiosk's large type, search, then the item
    page.goto(f"{base}/zhinan/?kiosk=1")
    page.fill("input[name=q]", "临时救助")
    page.click("button:has-text('搜索')")
    page.click("a:has-text('临时救助')")
    assert "申报材料" in page.inner_text("main") and "马鞍镇" in page.inner_text("#halls")
    screenshot(page, "guide-kiosk")

    # 预约 from the guide
    page.click("a:has-text('预约办理')")
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.fill("input[name=phone]", PHONE)
    page.click("button:has-text('确认预约')")
    code = page.inner_text("#booking-code").strip()
    assert len(code) == 6 and "138****5678" in page.inner_text("main")
    assert PHONE not in page.content()
    screenshot(page, "booked")

    # a walk-in takes a number first; the check-in is still called ahead of it
    page.goto(f"{base}/quhao/")
    page.click("button[data-dept=mzj]")
    assert page.inner_text("#ticket-number") == "M001"
    page.goto(f"{base}/quhao/")
    screenshot(page, "kiosk")
    page.fill("input[name=code]", code)
    page.fill("input[name=phone]", PHONE)
    page.click("button:has-text('签到取号')")
    assert page.inner_text("#ticket-number") == "M002" and "优先" in page.inner_text("main")
    ticket_url = page.url
    screenshot(page, "ticket")

    # the hall's big screen
    screen = browser.new_page()
    screen.goto(f"{base}/xianshi/")
    screen.click("#sound")
    screen.wait_for_function("document.getElementById('board').textContent.includes('民政局')")

    # the window calls next from the workbench
    clerk = browser.new_page()
    login(clerk, "maan-clerk", PASSWORD)
    clerk.goto(f"{base}/gongzuotai/jiaohao/")
    clerk.select_option("select[name=window]", label="1号窗口 · 民政局")
    clerk.click("button:has-text('选择窗口')")
    clerk.click("#call-next")
    assert clerk.inner_text("#current") == "M002"
    screenshot(clerk, "calling")

    screen.wait_for_function("document.getElementById('now').textContent.includes('M002')")
    assert "1 号窗口" in screen.inner_text("#now")
    spoken = screen.evaluate("window.hallSpoken")
    assert "请M 0 0 2号到1号窗口办理" in spoken
    screenshot(screen, "display")

    page.goto(ticket_url)
    assert "1号窗口" in page.inner_text("#ticket-status")

    clerk.click("button:has-text('办理完毕')")
    assert "当前没有办理中的号码" in clerk.inner_text("main")
    served = Ticket.objects.get(label="M002")
    assert served.status == TicketStatus.DONE and served.called_at and served.finished_at
    # the calling page keeps the served number's rating link (the default setting)
    assert clerk.get_attribute("#served-rating", "href") == f"/pingjia/paidui/{served.token}/"
    screenshot(clerk, "calling-served")
    page.goto(ticket_url)
    assert page.get_attribute("#rating-link", "href") == f"/pingjia/paidui/{served.token}/"

    # 一次一评: the citizen opens the slip's rating link and rates that service once
    page.click("#rating-link")
    assert "M002" in page.inner_text("#ticket-served") and "1号窗口" in page.inner_text("main")
    screenshot(page, "ticket-rating")
    page.fill("textarea[name=comment]", "办事很快")
    page.click("button:has-text('非常满意')")
    assert "感谢您的评价" in page.inner_text("#rating-done")
    assert "非常满意" in page.inner_text("#rating-done")
    screenshot(page, "ticket-rated")
    rating = Rating.objects.get(ticket_label="M002")
    assert (rating.level, rating.window_number, rating.staff_name) == (
        "very_satisfied",
        "1",
        "王五",
    )
    page.goto(f"{base}/pingjia/paidui/{served.token}/")
    assert page.locator("button:has-text('不满意')").count() == 0  # rated once

    clerk.goto(f"{base}/gongzuotai/paidui/tongji/")
    table = clerk.inner_text("#by-department")
    assert re.search(r"民政局\s+2\s+1\s+1", table), table  # taken 2, 1 by appointment, served 1
    screenshot(clerk, "statistics")
    screen.close()
    clerk.close()

"""One journey per role, by clicking only: each starts at the login page (or, for a citizen,
the hall's front page) and reaches every task through the hall's menu, the front page and
the pages' own links and buttons — no typed URL after the first. Screenshots of each step go
to $HALL_VAR_DIR/screens/ (README: 界面截图)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from county.supervision.alerts import alerts_tick
from county.supervision.models import SupervisionOrder
from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure
from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case, CaseStatus
from sites.cases.querycode import query_code_hash
from sites.feedback.models import Complaint, Rating
from sites.joint.models import Part
from sites.queueing.demo import demo_windows_ensure
from tests.browser.support import assert_accessible, chinese_only, menu, pick_item
from tests.browser.test_accessibility import clerks_may_sign_for_mzj
from tests.cases.factories import ID_NUMBER, PHONE, case_make, clerk
from tests.joint.conftest import joint_case
from tests.supervision.conftest import month  # noqa: F401  (the hand-counted month)
from tests.workbench.test_joint_pages import SPREAD, answered

pytestmark = pytest.mark.django_db(transaction=True)


def start(page, login, username: str):
    login(page, username, DEMO_PASSWORD)
    assert page.url.rstrip("/") == page.base_url.rstrip("/"), page.url  # the front page
    chinese_only(page)


def file_case(page, item: str, *, defer: str | None = None) -> str:
    menu(page, "收件")
    pick_item(page, item, "mzj-002")
    if defer:
        page.uncheck(f"input[name=materials][value={defer}]")
    page.fill("input[name=applicant_name]", "李四")
    page.fill("input[name=applicant_id_number]", ID_NUMBER)
    page.fill("input[name=applicant_phone]", PHONE)
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/[^/]+/$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def act(page, name: str) -> None:
    page.click(f"button[value={name}]")
    page.wait_for_load_state()


def back_to_case(page) -> None:
    """From a printed notice back to the case (the notice's own link)."""
    page.get_by_role("link", name="返回办件").click()
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/[^/]+/$"))


def test_township_clerk_accepts_asks_once_for_supplements_decides_and_prints(
    page, login, township, screenshot
):
    demo_staff_ensure()
    clerks_may_sign_for_mzj()
    start(page, login, "t-maan-clerk")
    number = file_case(page, "临时救助", defer="困难情况证明材料")
    screenshot(page, "1-filed")
    act(page, "accept")
    assert "受理通知书" in page.inner_text("h1") or "承诺件通知书" in page.inner_text("h1")
    screenshot(page, "2-acceptance-notice")
    back_to_case(page)
    page.fill("textarea[name=items]", "收入证明")
    act(page, "supplement")  # 一次性告知: asked once, every item at once
    assert "补正中" in page.inner_text("#status")
    screenshot(page, "3-supplement-asked")
    act(page, "supplement_complete")
    page.check("input[name=names][value=困难情况证明材料]")
    act(page, "materials")
    page.check("input[name=outcome][value=approved]")
    page.fill("input[name=opinion]", "符合条件")
    act(page, "decide")
    assert "已办结" in page.inner_text("#status")
    chinese_only(page)
    assert_accessible(page)
    screenshot(page, "4-decided")
    page.get_by_role("link", name="办结通知书").click()
    assert "办结通知书" in page.inner_text("h1")  # 临时救助 is no licence (seed 001)
    screenshot(page, "5-printed-decision")
    back_to_case(page)
    menu(page, "待办")
    chinese_only(page)
    assert Case.objects.get(number=number).status == CaseStatus.CONCLUDED


def test_village_agent_files_and_follows(page, login, village, screenshot):
    demo_staff_ensure()
    start(page, login, "v-shiqiao-agent")
    screenshot(page, "1-front")
    number = file_case(page, "临时救助")
    screenshot(page, "2-filed")
    menu(page, "我代办的")
    assert number in page.inner_text("main")
    chinese_only(page)
    assert_accessible(page)
    screenshot(page, "3-followed")


def test_village_clerk_accepts_and_forwards(page, login, village, screenshot):
    demo_staff_ensure()
    start(page, login, "v-shiqiao-clerk")
    number = file_case(page, "临时救助")
    act(page, "accept")
    screenshot(page, "1-accepted")
    back_to_case(page)
    page.fill("input[name=note]", "本站无权办结，上报马鞍镇")
    act(page, "forward")
    assert Case.objects.get(number=number).owner_site.code == "t-maan"  # ownership moved up
    screenshot(page, "2-forwarded")
    chinese_only(page)  # after 上报: 待办 with a note, not a 404
    assert "页面不存在" not in page.inner_text("main")
    menu(page, "待办")


def test_chief_countersigns(page, login, joint, lead_clerk, screenshot):

    staff_create(
        username="county-chief",
        name="孙九",
        site=joint["county"],
        roles=[Role.CHIEF_REPRESENTATIVE],
        password=DEMO_PASSWORD,
    )
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    answered(case)
    start(page, login, "county-chief")
    page.locator("#start").get_by_role("link", name="集中会签").click()
    chinese_only(page)
    screenshot(page, "1-ready")
    section = page.locator(f"#case-{case.number}")
    section.locator("input[name=outcome][value=approved]").check()
    section.locator("button:has-text('会签办结')").click()
    page.wait_for_url(f"**/banjian/{case.number}/")
    assert "已办结" in page.inner_text("#status")
    screenshot(page, "2-signed")


def test_supervisor_reads_the_dashboard_orders_and_exports_the_ranking(
    page,
    login,
    month,  # noqa: F811
    screenshot,
):

    alerts_tick(today=date(2026, 11, 25))
    demo_staff_ensure()
    start(page, login, "county-supervisor")
    page.locator("#start").get_by_role("link", name="电子监察").click()
    page.wait_for_url(re.compile(r"/jiancha/$"))
    screenshot(page, "1-dashboard")
    chinese_only(page)
    page.locator("#reds tr", has_text="t-maan-20261110-0001").get_by_role(
        "link", name="督办"
    ).click()
    page.fill("textarea[name=reason]", "承诺时限已过，请即作出决定")
    page.fill("input[name=days]", "2")
    page.click("button:has-text('发出督办')")
    page.wait_for_url(re.compile(r"/jiancha/duban/$"))
    assert SupervisionOrder.objects.count() == 1
    screenshot(page, "2-order")
    menu(page, "考核")
    chinese_only(page)
    screenshot(page, "3-ranking")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("导出")).first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    menu(page, "规则")
    chinese_only(page)
    screenshot(page, "4-rules")


def test_county_clerk_files_a_joint_case_and_the_supervisor_reassigns_a_part(
    page, login, halls, at_site, screenshot
):
    at_site("county")
    demo_staff_ensure()
    start(page, login, "county-clerk")
    menu(page, "收件")
    screenshot(page, "1-intake")
    pick_item(page, "食品经营许可")  # the county lists its items too
    page.fill("input[name=applicant_name]", "李四")
    page.fill("input[name=applicant_id_number]", ID_NUMBER)
    page.fill("input[name=applicant_phone]", PHONE)
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/[^/]+/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    act(page, "accept")  # a 联办件 is sent to its co-handling departments on acceptance
    back_to_case(page)
    assert Case.objects.get(number=number).status == CaseStatus.ACCEPTED
    # 改派 is the county supervisor's power (SitePerm.REASSIGN_TASKS): the clerk hands over
    page.context.clear_cookies()
    start(page, login, "county-supervisor")
    menu(page, "办件查询")
    page.get_by_role("link", name=number).first.click()
    page.wait_for_url(re.compile(r"/gongzuotai/banjian/[^/]+/$"))
    form = page.locator("form.act", has=page.get_by_role("button", name="改派")).first
    moved = form.locator("strong").inner_text()  # 改派 <部门>环节
    form.locator("select[name=site]").select_option(label="马鞍镇便民服务中心")
    form.locator("textarea[name=reason]").fill("原承办部门人员外出，改派")
    form.get_by_role("button", name="改派").click()
    page.wait_for_load_state()
    screenshot(page, "2-reassigned")
    assert "未知操作" not in page.inner_text("main")
    part = Part.objects.get(case_number=number, department__name=moved[2:-2].strip())
    assert part.site.code == "t-maan", page.inner_text("main")  # now at the hall chosen


def test_citizen_takes_a_number_books_queries_rates_and_complains(
    page, township, settings, screenshot
):
    # a township hall whose county is away answers from its own cases (one test process)
    settings.HALL_TIER, settings.HALL_COUNTY_URL = "township", "http://127.0.0.1:9"
    demo_windows_ensure(site=township)
    case = case_make(by=clerk(township), state="concluded")
    case.query_code_hash = query_code_hash(number=case.number, code="ABCD2345")
    case.save(update_fields=["query_code_hash"])
    page.goto(page.base_url + "/")
    chinese_only(page)
    screenshot(page, "1-front")
    page.locator("main").get_by_role("link", name="取号").click()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/quhao/hao/"))
    screenshot(page, "2-ticket")
    menu(page, "预约办事")
    page.locator("select[name=department]").select_option(index=1)  # submits on change
    page.wait_for_selector("select[name=day]")
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.fill("input[name=phone]", PHONE)
    page.locator("form[method=post] button[type=submit]").last.click()
    page.wait_for_load_state()
    screenshot(page, "3-booked")
    menu(page, "办件查询")
    page.fill("input[name=number]", case.number)
    page.fill("input[name=query_code]", "ABCD2345")
    page.locator("main form button[type=submit]").click()
    assert "已办结" in page.inner_text("main")
    screenshot(page, "4-queried")
    menu(page, "评价与投诉")
    page.fill("input[name=number]", case.number)
    page.fill("input[name=query_code]", "ABCD2345")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#rate input[name=level]").first.check()
    page.locator("#rate button[type=submit]").click()
    page.wait_for_load_state()
    page.fill("#complain textarea[name=content]", "窗口人员态度不好")
    page.locator("#complain button[type=submit]").click()
    page.wait_for_load_state()
    chinese_only(page)
    screenshot(page, "5-rated-and-complained")
    assert Rating.objects.count() == 1 and Complaint.objects.count() == 1

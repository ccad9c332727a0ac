"""本站考核 (issue 22): a township's window staff see their own windows' and their own points,
ranking and the complaints about them at their hall, asked of the county with a signed
request; refused to the wrong hall's staff, to who does not work a window, to anonymous."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from county.assessment import hall_page
from county.assessment.services import points_record, staff_ref, window_ref
from permissions.roles import Role
from permissions.services import staff_create
from sites.citizen.county_client import CountyUnreachable
from sites.feedback.models import Complaint
from sync.keys import REQUEST_SIGNATURE_HEADER, request_sign

BEIJING = ZoneInfo("Asia/Shanghai")
URL = "/benzhan-kaohe/?year=2026&month=11"


def ask(site: str, username: str = "", sign_as=None, year=2026, month=11):
    body = json.dumps(
        {
            "site": site,
            "at": timezone.now().isoformat(),
            "username": username,
            "year": year,
            "month": month,
        }
    ).encode()
    with override_settings(HALL_SITE=sign_as or site):
        sig = request_sign(body)
    return Client().post(
        "/halls/kaohe/",
        body,
        content_type="application/json",
        headers={REQUEST_SIGNATURE_HEADER: sig},
    )


@pytest.fixture
def month(halls):
    """November 2026 by hand: 马鞍镇 3号窗口 gets a 书面感谢 (+2) and its clerk 刘七 is late
    twice (−2 −2 = −4: under 5, nothing reaches the window); 黄滩镇 1号窗口 loses 5 (无人值守);
    one complaint about 马鞍镇 3号窗口 naming 刘七, upheld."""
    maan = window_ref(site_code="t-maan", number="3", name="民政窗口", department_code="mzj")
    huangtan = window_ref(site_code="t-huangtan", number="1", name="综合窗口")
    liu = staff_ref(site_code="t-maan", username="t-maan-liu", name="刘七", window=maan)
    day = date(2026, 11, 10)
    n = iter(range(100))
    for window, rule, person in (
        (maan, "written_thanks", None),
        (maan, "late_or_absent", liu),
        (maan, "late_or_absent", liu),
        (huangtan, "unattended", None),
    ):
        points_record(
            window=window,
            staff=person,
            rule=rule,
            source_type="county_entry",
            source_id=f"h{next(n)}",
            occurred_on=day,
        )
    filed = datetime(2026, 11, 12, 10, tzinfo=BEIJING)
    Complaint.objects.create(
        number="TS-20261112-0001",
        filed_site="t-maan",
        filed_at=filed,
        content="态度生硬",
        window_site="t-maan",
        window_number="3",
        staff_username="t-maan-liu",
        staff_name="刘七",
        upheld=True,
        accept_due=day,
        investigate_due=day,
        dispose_due=day,
        reply_due=day,
    )
    return halls


def test_the_county_answers_a_hall_about_its_own_windows_only(month):
    answer = ask("t-maan", "t-maan-liu")
    assert answer.status_code == 200
    data = answer.json()
    (window,) = data["windows"]  # 黄滩镇's window is not sent to 马鞍镇
    assert (window["number"], window["score"], window["rank"]) == ("3", 102, 1)
    assert data["me"] == {"score": 96, "rank": 1, "of": 1}
    assert [e["points"] for e in data["ledger"]] == [2, -2, -2]
    assert [e["mine"] for e in data["ledger"]] == [False, True, True]
    (complaint,) = data["complaints"]
    assert complaint["number"] == "TS-20261112-0001" and complaint["mine"] is True
    assert "态度生硬" not in answer.content.decode("utf-8")  # the citizen's words stay
    assert "刘七" not in answer.content.decode("utf-8")  # names are not sent
    # a hall asking for another's, or unsigned, or malformed: refused
    assert ask("t-maan", sign_as="t-huangtan").status_code == 403
    assert ask("t-maan", month=13).status_code == 400


@pytest.fixture
def township_page(month, settings, monkeypatch):
    """At 马鞍镇: the request goes to the county's own view (the same process, the county's
    URLs), signed with 马鞍镇's key."""
    from tests.pages.test_dead_ends import full_county_urls

    full_county_urls(settings)
    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"

    def post(path, body, headers):
        reply = Client().post(path, body, content_type="application/json", headers=headers)
        return reply.json()

    monkeypatch.setattr(hall_page, "county_post", post)
    return month


def person(site, role, username):
    user = staff_create(username=username, name="刘七", site=site, roles=[role], password=None)
    web = Client()
    web.force_login(user)
    return web


def test_a_township_clerk_sees_the_windows_points_and_complaints(township_page):
    web = person(township_page["t-maan"], Role.CLERK, "t-maan-liu")
    front = web.get("/").content.decode()
    assert 'href="/benzhan-kaohe/"' in front  # reachable from the role menu
    page = web.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "3号窗口(民政窗口)" in text and "<td>102</td>" in text
    assert "本月得分：<strong>96</strong>" in text
    assert "TS-20261112-0001" in text and "属实" in text
    assert "综合窗口" not in text  # another hall's window
    assert "2026年11月10日" in text


def test_the_page_is_refused_to_other_halls_non_window_staff_and_anonymous(township_page):
    here = township_page["t-maan"]
    assert Client().get(URL).status_code == 302  # anonymous: to the login
    other = person(township_page["t-huangtan"], Role.CLERK, "t-huangtan-clerk")
    assert other.get(URL).status_code == 403  # the wrong hall
    county = person(township_page["county"], Role.COUNTY_SUPERVISOR, "county-sup")
    assert county.get(URL).status_code == 403  # the county's account at a township
    agent = person(township_page["v-shiqiao"], Role.VILLAGE_AGENT, "v-agent")
    assert agent.get(URL).status_code == 403
    assert 'href="/benzhan-kaohe/"' not in other.get("/").content.decode()
    assert here.code == "t-maan"


def test_without_the_county_the_page_says_so(township_page, monkeypatch):
    def down(path, body, headers):
        raise CountyUnreachable("refused")

    monkeypatch.setattr(hall_page, "county_post", down)
    web = person(township_page["t-maan"], Role.CLERK, "t-maan-liu")
    page = web.get(URL)
    assert page.status_code == 200 and "县级中心暂时无法连接" in page.content.decode()
    assert web.get("/benzhan-kaohe/?month=99").status_code == 400

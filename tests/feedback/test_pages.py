"""Pages: the citizen rates and complains with number + code (one error for unknown and
wrong, rate-limited); the window's rating device; the hall office's and county's pages,
each refused to an anonymous user, the wrong tier and the wrong site."""

import re
from datetime import date

import pytest

from county.assessment.models import PointEntry
from permissions.roles import Role
from sites.cases.querycode import query_code_hash
from sites.feedback.models import Complaint, Rating
from tests.permissions.factories import staff

CODE = "ABCD2345"
PASSWORD = "Feedback-Test-2026"


def login(client, user):
    user.set_password(PASSWORD)
    user.save()
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def known(served):
    case, _user, _ = served
    case.query_code_hash = query_code_hash(number=case.number, code=CODE)
    case.save(update_fields=["query_code_hash"])
    return case


def test_the_citizen_rates_once_and_sees_the_rating(known, client):
    page = client.post("/pingjia/", {"number": known.number, "query_code": CODE})
    assert "评价本次办事" in page.content.decode()
    post = {"number": known.number, "query_code": CODE, "action": "rate", "level": "fair"}
    done = client.post("/pingjia/", post).content.decode()
    assert "感谢您的评价" in done and "基本满意" in done
    again = client.post("/pingjia/", post | {"level": "dissatisfied"}).content.decode()
    assert "评价本次办事" not in again
    assert Rating.objects.get().level == "fair"
    assert "张三" not in again and "13812345678" not in again  # no personal data


def test_unknown_and_wrong_code_give_one_answer(known, client):
    wrong = client.post("/pingjia/", {"number": known.number, "query_code": "ZZZZ9999"})
    unknown = client.post("/pingjia/", {"number": "no-such", "query_code": CODE})
    assert wrong.status_code == unknown.status_code == 200
    assert "未查询到办件" in wrong.content.decode()

    def bare(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert bare(wrong).replace(known.number, "no-such") == bare(unknown)


def test_the_citizen_is_rate_limited(known, client, settings):
    settings.HALL_CITIZEN_QUERY_LIMITS = [(2, 60)]
    from django.core.cache import cache

    cache.clear()
    for _ in range(2):
        client.post("/pingjia/", {"number": known.number, "query_code": CODE})
    assert client.post("/pingjia/", {"number": known.number, "query_code": CODE}).status_code == 429


def test_a_complaint_is_filed_and_its_reply_shown(known, client):
    post = {"number": known.number, "query_code": CODE, "action": "complain"}
    page = client.post("/pingjia/", post | {"content": "窗口人员态度差，推诿"}).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.number in page
    complaint.reply = "已约谈窗口人员并致歉"
    complaint.save()
    page = client.post("/pingjia/", {"number": known.number, "query_code": CODE}).content.decode()
    assert "已约谈窗口人员并致歉" in page


def test_the_window_device_rates_a_case_served_here(known, halls, client):
    clerk = staff(halls["county"], Role.CLERK)
    login(client, clerk)
    url = f"/pingjia/chuangkou/{known.number}/"
    assert "非常满意" in client.get(url).content.decode()
    assert "感谢您的评价" in client.post(url, {"level": "very_dissatisfied"}).content.decode()
    assert not PointEntry.objects.exists()  # no point before 查实 (seed 000 第十三条(六))


@pytest.mark.parametrize("who", ["anonymous", "township", "auditor"])
def test_the_window_device_is_refused(known, halls, client, who):
    if who != "anonymous":
        site, role = {"township": ("t-maan", Role.CLERK), "auditor": ("county", Role.AUDITOR)}[who]
        login(client, staff(halls[site], role))
    response = client.post(f"/pingjia/chuangkou/{known.number}/", {"level": "fair"})
    assert response.status_code in (302, 403)
    assert not Rating.objects.exists()


OFFICE_PAGES = ["/kaohe/jiancha/", "/kaohe/tousu/", "/kaohe/chaping/"]


def test_the_hall_office_enters_an_inspection(halls, client, windows):
    login(client, staff(halls["county"], Role.COUNTY_SUPERVISOR))
    for url in [*OFFICE_PAGES, "/kaohe/", f"/kaohe/chuangkou/{windows[0].pk}/"]:
        assert client.get(url).status_code == 200, url
    post = {"window": windows[0].pk, "kind": "inspection", "rule": "untidy", "note": "桌面杂乱"}
    assert client.post("/kaohe/jiancha/", post).status_code == 302
    entry = PointEntry.objects.get()
    assert (entry.points, entry.source_type) == (-5, "inspection")
    ledger = client.get(f"/kaohe/chuangkou/{windows[0].pk}/").content.decode()
    assert "窗口办公区不整洁每次" in ledger and "日检查" in ledger


@pytest.mark.parametrize("who", ["anonymous", "clerk", "township-supervisor-less"])
def test_office_pages_are_refused(halls, client, windows, who):
    if who == "clerk":
        login(client, staff(halls["county"], Role.CLERK))
    elif who != "anonymous":
        login(client, staff(halls["t-maan"], Role.CHIEF_REPRESENTATIVE))
    # the monthly table is published (seed 002 予以公示): county staff may read it
    for url in OFFICE_PAGES + ([] if who == "clerk" else ["/kaohe/"]):
        assert client.get(url).status_code in (302, 403), url
    post = {"window": windows[0].pk, "kind": "inspection", "rule": "untidy"}
    client.post("/kaohe/jiancha/", post)
    assert not PointEntry.objects.exists()


def test_office_pages_are_refused_at_a_township(halls, client, settings):
    user = staff(halls["t-maan"], Role.CLERK)
    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    login(client, user)
    from sites.feedback.access import may_handle_feedback, may_view_rankings

    assert not may_handle_feedback(user=user) and not may_view_rankings(user=user)


def test_the_auditor_sees_rankings_and_exports_but_may_not_enter(halls, client, windows, record):
    from io import BytesIO

    from openpyxl import load_workbook

    record(1, "written_thanks", day=date(2026, 11, 5))
    login(client, staff(halls["county"], Role.AUDITOR))
    page = client.get("/kaohe/?year=2026&month=11").content.decode()
    assert "流动红旗" in page and "102" in page
    xlsx = client.get("/kaohe/daochu/?year=2026&month=11")
    book = load_workbook(BytesIO(xlsx.content))
    assert book.sheetnames[0] == "11月排名"
    assert [c.value for c in book.worksheets[0][3]][:4] == [1, str(windows[0]), None, 102]
    assert client.get("/kaohe/jiancha/").status_code == 403


def test_a_window_member_sees_their_own_window_only(halls, client, windows):
    from county.assessment.services import window_ref
    from sites.registry.models import Department, Staff
    from sites.registry.services import window_open

    county = halls["county"]
    mine = window_open(site=county, department=Department.objects.first(), number="1")
    clerk = staff(county, Role.CLERK)
    Staff.objects.filter(user=clerk).update(window=mine)
    login(client, clerk)
    own = window_ref(site_code="county", number="1")
    assert client.get(f"/kaohe/chuangkou/{own.pk}/").status_code == 200
    assert client.get(f"/kaohe/chuangkou/{windows[1].pk}/").status_code == 403


def test_the_window_rated_appeals_and_the_office_upholds_it(known, halls, client):
    from county.assessment.models import AssessedWindow
    from sites.feedback import services
    from sites.registry.models import Staff, Window

    services.rating_give(
        facts=services.case_facts(known), level="very_dissatisfied", channel="window"
    )
    rating = Rating.objects.get()
    window = AssessedWindow.objects.get(site_code="county", number="3")
    member = staff(halls["county"], Role.CLERK)
    counter = Window.objects.get(site__code="county", number="3")  # 张三's, rated
    Staff.objects.filter(user=member).update(window=counter)
    login(client, member)
    url = f"/kaohe/chaping/{rating.pk}/shensu/"
    month = f"?year={rating.given_at.year}&month={rating.given_at.month}"
    assert "申诉理由" in client.get(f"/kaohe/chuangkou/{window.pk}/{month}").content.decode()
    assert client.post(url, {"window": window.pk, "text": "申请人误点"}).status_code == 302
    rating.refresh_from_db()
    assert rating.appeal == "requested"
    client.logout()
    other = staff(halls["county"], Role.CLERK)  # not of this window
    login(client, other)
    assert client.post(url, {"window": window.pk, "text": "x"}).status_code == 403
    login(client, staff(halls["county"], Role.COUNTY_SUPERVISOR))
    step = {"step": "appeal_upheld", "text": "核实为误评"}
    assert client.post(f"/kaohe/chaping/{rating.pk}/", step).status_code == 302
    assert sum(PointEntry.objects.values_list("points", flat=True)) == 0


def test_the_office_publishes_the_quarter_and_the_flag_brings_its_staff_the_bonus(
    halls, client, windows, record
):
    from county.assessment.models import Award
    from county.assessment.services import staff_ref

    person = staff_ref(site_code="county", username="w1", name="王一", window=windows[0])
    record(1, "written_thanks", day=date(2026, 11, 5))
    login(client, staff(halls["county"], Role.COUNTY_SUPERVISOR))
    url = "/kaohe/fabu/?year=2026&month=11"
    assert client.post(url, {"kind": "quarter"}).status_code == 302
    flag = Award.objects.get(kind="red_flag")
    assert (flag.window, flag.period, flag.score) == (windows[0], "2026-Q4", 102)
    assert person.points.get().points == 2  # seed 000 第二十四条(四)
    assert "已发布" in client.get("/kaohe/?year=2026&month=11").content.decode()


def test_publishing_is_refused_to_the_auditor(halls, client, windows):
    from county.assessment.models import Award

    login(client, staff(halls["county"], Role.AUDITOR))
    assert client.post("/kaohe/fabu/?year=2026&month=11", {"kind": "year"}).status_code == 403
    assert not Award.objects.exists()

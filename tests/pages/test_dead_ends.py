"""The dead ends and wrong displays issue 21 found, each pinned by a test that failed before."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from county.catalogue.selectors import item_version_get
from sites.cases import lifecycle, services
from sites.cases.models import Case
from tests.cases.conftest import halls  # noqa: F401  (the tree, calendar, sample catalogue)
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, case_make, signer
from tests.joint.conftest import CO, joint_case, joint_item_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(halls, settings):  # noqa: F811  (the fixture above)
    """hall('t-maan') -> this node is t-maan, its demo staff made; returns {role: Client}."""
    from deploy.prepare import demo_staff_ensure
    from sites.registry.models import Site

    full_county_urls(settings)

    def switch(code: str) -> dict:
        settings.HALL_SITE = code
        settings.HALL_TIER = Site.objects.get(code=code).tier
        clients = {}
        for username, _ in demo_staff_ensure():
            web = Client()
            web.force_login(get_user_model().objects.get(username=username))
            clients[username.removeprefix(f"{code}-")] = web
        clients["citizen"] = Client()
        return clients

    return switch


def full_county_urls(settings) -> None:
    """The URL conf as the county builds it (county-only routes included), whatever tier
    the process first imported it under: the pages' tests switch tiers."""
    import importlib

    from django.urls import clear_url_caches

    import deploy.urls

    settings.HALL_SITE, settings.HALL_TIER = "county", "county"
    importlib.reload(deploy.urls)
    clear_url_caches()


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_after_forward_the_village_clerk_lands_on_the_inbox_not_a_404(hall):
    web = hall("v-shiqiao")["clerk"]
    case = case_make(by=user("v-shiqiao-clerk"), state="accepted")
    answer = web.post(reverse("workbench:act", args=[case.number, "forward"]), follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0] == reverse("workbench:inbox")
    page = answer.content.decode()
    assert "已上报" in page
    # 待办 holds what this hall still owns: the forwarded case is not left as 已受理 here
    assert f">{case.number}<" not in page


def test_the_county_clerk_picks_any_item_by_name_and_can_search(hall):
    web = hall("county")["clerk"]
    name = item_version_get(code="mzj-002").name
    page = web.get(reverse("workbench:intake")).content.decode()
    assert f">{name}</option>" in page  # the county has no delegations: it files every item
    assert ">mzj-002 " not in page  # names, not codes
    found = web.get(reverse("workbench:intake"), {"q": name[:3]}).content.decode()
    assert name in found
    none = web.get(reverse("workbench:intake"), {"q": "没有这个事项"}).content.decode()
    assert 'class="empty-state"' in none


def test_every_action_the_lifecycle_offers_has_a_performer():
    """Every row of the one action table (sites.cases.actions) but 收件 (its own page) turns a
    page post into its service's arguments, and its service exists."""
    offered = {n for n, a in lifecycle.ACTIONS.items() if n != "submit"}
    assert {"parts_open", "opinion", "countersign", "reassign"} <= offered  # joint's, registered
    performable = {n for n in offered if lifecycle.ACTIONS[n].page_input is not None}
    assert offered == performable, offered - performable
    for act in lifecycle.ACTIONS.values():
        assert callable(act.perform), act.name


def test_the_joint_case_page_performs_what_it_offers(hall, settings):
    from permissions.services import staff_create
    from sites.registry.models import Site

    hall("county")
    joint_item_create()
    from tests.cases.factories import catalogue_backdate

    catalogue_backdate()
    both = staff_create(
        username="county-lead",
        name="牵头",
        site=Site.objects.get(code="county"),
        roles=["clerk", "department_reviewer"],
        password=None,
    )
    web = Client()
    web.force_login(both)
    case = joint_case(by=both)
    page = web.get(reverse("workbench:case", args=[case.number])).content.decode()
    assert "接收部门意见" in page
    answer = web.post(
        reverse("workbench:act", args=[case.number, "opinion"]),
        {"department": CO[0], "opinion": "agree"},
        follow=True,
    )
    assert "未知操作" not in answer.content.decode()
    assert case.parts.get(department__code=CO[0]).state == "answered"


def test_a_supervisor_moves_a_part_from_the_case_page_before_it_stalls(hall):
    clients = hall("county")
    joint_item_create()
    from tests.cases.factories import catalogue_backdate

    catalogue_backdate()
    case = joint_case(by=user("county-clerk"))
    web = clients["supervisor"]
    page = web.get(reverse("workbench:case", args=[case.number])).content.decode()
    target = reverse("workbench:reassign", args=[case.number, CO[1]])
    assert f'action="{target}"' in page
    answer = web.post(target, {"site": "t-maan", "reason": "部门人手不足", "back": "case"})
    assert answer.status_code == 302
    assert answer.url == reverse("workbench:case", args=[case.number])
    assert case.parts.filter(department__code=CO[1], site__code="t-maan").exists()


def test_the_agent_menu_offers_no_calling_and_no_prereview(hall):
    web = hall("v-shiqiao")["agent"]
    page = web.get(reverse("workbench:followed")).content.decode()
    assert reverse("workbench:calling") not in page
    assert reverse("workbench:prereview-list") not in page


def test_the_ticket_leads_back_to_the_kiosk_and_prints_its_rating_link(hall):
    web = hall("t-maan")["citizen"]
    from sites.registry.models import Department

    department = Department.objects.filter(windows__site__code="t-maan").first()
    answer = web.post(reverse("queueing:take"), {"department": department.code}, follow=True)
    page = answer.content.decode()
    assert f'class="back-link" href="{reverse("queueing:kiosk")}"' in page
    token = answer.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    assert f"/pingjia/paidui/{token}/" in page  # on the printed slip, before service


def test_the_citizen_goes_from_the_front_page_and_the_answer_to_rating(hall, settings):
    clients = hall("t-maan")
    settings.HALL_COUNTY_URL = "http://127.0.0.1:9"  # the county away: the hall answers
    assert reverse("feedback:citizen") in clients["citizen"].get("/").content.decode()
    clerk = user("t-maan-clerk")
    case = case_make(by=clerk, state="submitted")
    code = services.case_accept(case=case, by=clerk)
    services.case_decide(  # the 首席代表 signs (seed 001 第十五条)
        case=Case.objects.get(pk=case.pk), by=signer(case, clerk), outcome="approved"
    )
    answer = clients["citizen"].post(
        reverse("citizen-case-status"), {"number": case.number, "query_code": code}
    )
    page = answer.content.decode()
    assert f'action="{reverse("feedback:citizen")}"' in page and "评价" in page
    assert 'href="/"' in page  # and back to the hall's front page


def test_a_filed_complaint_says_it_waits_to_be_accepted(hall, settings):
    clients = hall("t-maan")
    clerk = user("t-maan-clerk")
    case = case_make(by=clerk, state="submitted")
    code = services.case_accept(case=case, by=clerk)
    page = (
        clients["citizen"]
        .post(
            reverse("feedback:citizen"),
            {
                "number": case.number,
                "query_code": code,
                "action": "complain",
                "content": "办理久拖不决，没有答复",
            },
        )
        .content.decode()
    )
    assert "待受理" in page and "已受理登记" not in page


def test_the_clerk_front_page_total_is_the_sum_of_its_counters(hall):
    web = hall("t-maan")["clerk"]
    case_make(by=user("t-maan-clerk"), state="submitted")  # 待受理: no clock yet
    page = web.get("/").content.decode()
    assert "共 1 件" in page and "待受理</a> <strong>1</strong>" in page


def test_the_supervisor_issues_an_order_from_the_orders_page(hall):
    page = hall("county")["supervisor"].get(reverse("supervision:orders")).content.decode()
    assert reverse("supervision:order-new") in page


def test_taking_numbers_and_applying_online_are_limited_per_address(hall, monkeypatch):
    from sites.online import views as online
    from sites.queueing import views as queue
    from sites.registry.models import Department

    web = hall("t-maan")["citizen"]
    monkeypatch.setattr(queue, "TAKE_LIMIT", (2, 600))
    monkeypatch.setattr(online, "APPLY_LIMIT", (2, 3600))
    department = Department.objects.filter(windows__site__code="t-maan").first()
    takes = [web.post(reverse("queueing:take"), {"department": department.code}) for _ in range(3)]
    assert [t.status_code for t in takes] == [302, 302, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")  # another address is not held back
    assert other.post(reverse("queueing:take"), {"department": department.code}).status_code == 302
    applies = [web.post(reverse("online:apply", args=["mzj-002"]), {}) for _ in range(3)]
    assert [a.status_code for a in applies] == [400, 400, 429]


def test_the_county_limits_each_citizen_of_a_hall_not_the_whole_hall(hall, settings):
    from sync.keys import REQUEST_SIGNATURE_HEADER, request_sign

    hall("county")
    settings.HALL_CITIZEN_QUERY_LIMITS = [(2, 60)]

    def ask(citizen: str, *, forged: bool = False) -> str:
        settings.HALL_SITE = "v-shiqiao"  # the village hall signs with its own key
        hall_part = {"site": "v-shiqiao", "at": timezone.now().isoformat(), "citizen": citizen}
        body = json.dumps(
            {
                "query": 'query{caseStatus(number:"x",queryCode:"y"){number}}',
                "extensions": {"hall": hall_part},
            }
        ).encode()
        sig = "forged" if forged else request_sign(body)
        settings.HALL_SITE = "county"
        answer = Client(REMOTE_ADDR="10.1.1.1").post(
            "/graphql/",
            body,
            content_type="application/json",
            headers={REQUEST_SIGNATURE_HEADER: sig},
        )
        return json.dumps(answer.json(), ensure_ascii=False)

    assert all("频繁" not in ask("192.168.0.7") for _ in range(2))
    assert "频繁" in ask("192.168.0.7")  # this villager asked too often ...
    assert "频繁" not in ask("192.168.0.8")  # ... their neighbour at the same hall did not
    assert all("频繁" not in ask("x", forged=True) for _ in range(2))  # unsigned: the hall's own
    assert "频繁" in ask("y", forged=True)


def test_intake_without_the_phone_or_with_an_impossible_date_is_a_400(hall):
    web = hall("t-maan")["clerk"]
    base = {
        "item_code": "mzj-002",
        "applicant_name": "李四",
        "applicant_id_number": ID_NUMBER,
        "materials": ALL_MATERIALS,
    }
    no_phone = web.post(reverse("workbench:intake"), base)
    assert no_phone.status_code == 400 and 'class="error-summary" role="alert"' in (
        no_phone.content.decode()
    )
    bad_day = web.post(
        reverse("workbench:intake"),
        {**base, "applicant_phone": PHONE, "submitted_at": "2026-02-30T09:00"},
    )
    assert bad_day.status_code == 400 and "form-group--error" in bad_day.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("page", ["/chaxun/", "/pingjia/", "/yuyue/quxiao/", "/wangshang/chaxun/"])
def test_the_citizen_pages_lead_back(hall, page):
    """Each leads back to the hall's front page (a back link under a menu entry, or the
    footer's 返回…首页 on the menu pages themselves)."""
    answer = hall("t-maan")["citizen"].get(page)
    assert answer.status_code == 200 and 'href="/"' in answer.content.decode()
    if page == "/yuyue/quxiao/":
        assert 'class="back-link" href="/yuyue/"' in answer.content.decode()

"""The workbench pages: intake, case page actions, notices, inbox query counts."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case, CaseStatus, EventType
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, case_make

pytestmark = pytest.mark.django_db


def clerk_client(site, role=Role.CLERK):
    user = staff_create(
        username=f"{site.code}-{role}", name="王五", site=site, roles=[role], password=None
    )
    web = Client()
    web.force_login(user)
    return web, user


def intake_post(web, **over):
    data = {
        "item_code": "mzj-002",
        "applicant_name": "李四",
        "applicant_id_number": ID_NUMBER,
        "applicant_phone": PHONE,
        "materials": ALL_MATERIALS,
        **over,
    }
    return web.post(reverse("workbench:intake"), data)


def test_intake_shows_checklist_and_field_errors(township):
    web, _ = clerk_client(township)
    page = web.get(reverse("workbench:intake"), {"item": "mzj-002"}).content.decode()
    assert "困难情况证明材料（可容缺" in page
    bad = intake_post(web, applicant_id_number="110105194912310021", applicant_phone="123")
    assert bad.status_code == 400
    html = bad.content.decode()
    assert 'id="id_applicant_id_number-error"' in html
    assert 'id="id_applicant_phone-error"' in html
    assert 'class="error-summary" role="alert"' in html
    assert not Case.objects.exists()


def test_clerk_intake_to_decision_with_notices(township):
    web, _ = clerk_client(township)
    made = intake_post(web, materials=ALL_MATERIALS[:2])
    case = Case.objects.get()
    assert made.status_code == 302 and made.url == reverse("workbench:case", args=[case.number])
    page = web.get(made.url).content.decode()
    assert "受理" in page and "办结</button>" not in page  # decide only once accepted
    assert "李四" in page and ID_NUMBER not in page  # ID number masked

    accepted = web.post(reverse("workbench:act", args=[case.number, "accept"]), follow=True)
    # POST, redirect, GET: reloading the printed notice does not accept again
    assert accepted.redirect_chain == [
        (reverse("workbench:notice", args=[case.number, "acceptance"]), 302)
    ]
    notice = accepted.content.decode()
    code = re.search(r'class="code">(\w+)<', notice).group(1)
    assert "承诺件通知书" in notice and len(code) >= 6
    # the code is shown once: a later print of the same notice does not carry it
    again = web.get(reverse("workbench:notice", args=[case.number, "acceptance"])).content
    assert code not in again.decode()

    act = lambda name, **data: web.post(reverse("workbench:act", args=[case.number, name]), data)  # noqa: E731
    act("supplement", items="困难情况证明材料\n收入证明")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    supplement = web.get(reverse("workbench:notice", args=[case.number, "supplement"]))
    assert "收入证明" in supplement.content.decode()
    act("supplement_complete")
    act("decide", outcome="approved")  # refused: a 容缺 material is still outstanding
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    act("materials", names="困难情况证明材料")
    act("decide", outcome="approved", opinion="符合条件")  # refused: the 首席代表 signs
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED  # seed 001 第十五条
    chief, _ = clerk_client(case.owner_site, Role.CHIEF_REPRESENTATIVE)
    chief.post(
        reverse("workbench:act", args=[case.number, "decide"]),
        {"outcome": "approved", "opinion": "符合条件"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.outcome == "approved"
    decision = web.get(reverse("workbench:notice", args=[case.number, "decision"]))
    assert "办结通知书" in decision.content.decode()  # 临时救助 is no licence (seed 001)
    # the case page's links carry each notice's own title, not 「许可决定书」 for every item
    links = re.findall(
        r'<a href="[^"]*/tongzhishu/\w+/">([^<]+)</a>', web.get(made.url).content.decode()
    )
    assert links and "办结通知书" in links and "承诺件通知书" in links
    assert not any("许可" in label for label in links)


def test_action_not_allowed_now_is_refused_in_chinese(township):
    web, user = clerk_client(township)
    case = case_make(by=user)
    done = web.post(reverse("workbench:act", args=[case.number, "decide"]), {"outcome": "approved"})
    assert done.status_code == 400  # the case page again, not a redirect
    assert "当前状态下不能进行该操作" in done.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_refused_action_shows_its_form_again_with_the_error_beside_the_field(township):
    """GOV.UK: the page again (400), the summary on top linking to the field, the error beside
    it and what was typed kept; nothing changed."""
    web, user = clerk_client(township)
    case = case_make(by=user)
    act = lambda name, **data: web.post(reverse("workbench:act", args=[case.number, name]), data)  # noqa: E731
    refused = act("refuse", reasons="   ")
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_refuse_reasons"' in html
    assert 'id="id_refuse_reasons-error"' in html
    assert html.index('class="error-summary"') < html.index('id="id_refuse_reasons-error"')
    act("accept")
    late = act("extend", days="0", reason="等待外单位意见")
    assert late.status_code == 400
    html = late.content.decode()
    assert 'id="id_extend_days-error"' in html and 'href="#id_extend_days"' in html
    assert 'value="等待外单位意见"' in html  # what was typed is kept
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert not case.events.filter(type=EventType.EXTENDED).exists()


def test_inbox_filters_and_searches(township):
    web, user = clerk_client(township)
    one = case_make(by=user)
    case_make(by=user, state="refused")
    page = web.get(reverse("workbench:inbox")).content.decode()
    assert one.number in page and "共 1 件" in page
    assert f'href="{reverse("workbench:case", args=[one.number])}"' in page  # the row's link
    assert "共 0 件" in web.get(reverse("workbench:inbox"), {"q": "没有这人"}).content.decode()
    assert "共 1 件" in web.get(reverse("workbench:inbox"), {"q": "李"}).content.decode()


def test_inbox_queries_constant_in_page_size(township, django_assert_num_queries):
    web, user = clerk_client(township)
    for _ in range(12):
        case_make(by=user)
    with CaptureQueriesContext(connection) as small:
        page = web.get(reverse("workbench:inbox"), {"size": 3})
    assert page.content.decode().count('href="/gongzuotai/banjian/') == 3
    with django_assert_num_queries(len(small.captured_queries)):
        page = web.get(reverse("workbench:inbox"), {"size": 12})
    assert page.content.decode().count('href="/gongzuotai/banjian/') == 12


def test_intake_with_a_required_material_missing_records_a_supplement_case(township):
    """Seed 001 第十条(五): the clerk may record the case as 补办件 instead of refusing it;
    the page then prints 《补办件通知书》 with the one complete list of what is missing."""
    web, _ = clerk_client(township)
    refused = intake_post(web, materials=["申请人身份证"])
    assert refused.status_code == 400
    assert "可登记为补办件" in refused.content.decode()
    assert 'name="as_supplement"' in refused.content.decode()
    assert not Case.objects.exists()

    made = intake_post(web, materials=["申请人身份证"], as_supplement="on")
    case = Case.objects.get()
    assert case.status == CaseStatus.SUSPENDED
    assert made.status_code == 302
    assert made.url == reverse("workbench:notice", args=[case.number, "supplement"])
    notice = web.get(made.url).content.decode()
    assert "补办件通知书" in notice and "临时救助申请书" in notice


def test_supplement_at_intake_is_refused_to_anonymous_and_to_an_auditor(halls, at_site):
    at_site("county")
    data = {"materials": ["申请人身份证"], "as_supplement": "on"}
    anonymous = intake_post(Client(), **data)
    assert anonymous.status_code == 302 and "login" in anonymous.url
    auditor, _ = clerk_client(halls["county"], Role.AUDITOR)
    assert intake_post(auditor, **data).status_code == 403
    assert not Case.objects.exists()


def test_a_clerk_prepares_the_decision_and_the_chief_signs_it(township):
    """Seed 001 第十五条: the clerk 拟办s on the case page, the 首席代表 sees it and signs."""
    web, user = clerk_client(township)
    case = case_make(by=user, state="accepted")
    page = web.get(reverse("workbench:case", args=[case.number])).content.decode()
    assert 'value="prepare"' in page
    url = reverse("workbench:act", args=[case.number, "prepare"])
    web.post(url, {"outcome": "approved", "opinion": ""})  # 拟办意见 is required
    assert not case.events.filter(type=EventType.DECISION_PREPARED).exists()
    done = web.post(url, {"outcome": "approved", "opinion": "材料齐全，拟同意"})
    assert done.status_code == 302
    assert case.events.filter(type=EventType.DECISION_PREPARED).count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED  # prepared, not decided

    chief, _ = clerk_client(township, Role.CHIEF_REPRESENTATIVE)
    page = chief.get(reverse("workbench:case", args=[case.number])).content.decode()
    assert "拟准予：材料齐全，拟同意" in page
    assert 'value="prepare"' not in page  # the signer decides directly
    chief.post(
        reverse("workbench:act", args=[case.number, "decide"]),
        {"outcome": "approved", "opinion": "同意"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED


def test_prepare_is_refused_to_anonymous_and_to_a_clerk_of_another_hall(township, halls):
    _, user = clerk_client(township)
    case = case_make(by=user, state="accepted")
    url = reverse("workbench:act", args=[case.number, "prepare"])
    data = {"outcome": "approved", "opinion": "拟同意"}
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and "login" in anonymous.url
    stranger, _ = clerk_client(halls["v-shiqiao"])
    assert stranger.post(url, data).status_code in (403, 404)
    assert not case.events.filter(type=EventType.DECISION_PREPARED).exists()

"""The village agent's 我代办的办件: the county's view of where each case is now."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case
from sites.citizen import county_client
from sites.citizen.county_client import CountyUnreachable
from sync.keys import REQUEST_SIGNATURE_HEADER, request_sign
from tests.cases.factories import case_make
from tests.workbench.test_joint_pages import constant_queries

pytestmark = pytest.mark.django_db
URL = reverse("workbench:followed")


def person(site, role, username=None):
    user = staff_create(
        username=username or f"{site.code}-{role}",
        name="赵六",
        site=site,
        roles=[role],
        password=None,
    )
    web = Client()
    web.force_login(user)
    return web, user


def county_says(monkeypatch, rows):
    monkeypatch.setattr(
        "sites.workbench.follow.county_followed",
        lambda numbers: {r["number"]: r for r in rows if r["number"] in numbers},
    )


def record(case, **over):
    return {
        "number": case.number,
        "last_seq": case.seq + 1,
        "status": "concluded",
        "outcome": "approved",
        "owner_site": "t-maan",
        "decided_site": "t-maan",
        "last_at": timezone.now().isoformat(),
        **over,
    }


def test_a_forwarded_case_shows_the_townships_decision(village, monkeypatch):
    # Given a case the agent filed, accepted and forwarded to the township
    web, agent = person(village, Role.VILLAGE_AGENT)
    case = case_make(by=agent, state="forwarded")
    # When the county has heard the township decide it
    county_says(monkeypatch, [record(case)])
    page = web.get(URL).content.decode()
    # Then the agent sees the decision and the current holder, not the village's 已受理
    assert "已办结（准予）" in page and "马鞍镇便民服务中心" in page
    assert "已受理" not in page


def test_without_the_county_a_forwarded_case_is_not_shown_as_accepted(village, monkeypatch):
    web, agent = person(village, Role.VILLAGE_AGENT)
    case_make(by=agent, state="forwarded")

    def down(numbers):
        raise CountyUnreachable("refused")

    monkeypatch.setattr("sites.workbench.follow.county_followed", down)
    page = web.get(URL).content.decode()
    assert "县级中心暂时无法连接" in page and "已上报" in page and "已受理" not in page


def test_an_older_county_record_does_not_hide_newer_local_news(village, monkeypatch):
    web, agent = person(village, Role.VILLAGE_AGENT)
    case = case_make(by=agent, state="refused")
    county_says(monkeypatch, [record(case, last_seq=1, status="submitted", outcome="")])
    page = web.get(URL).content.decode()
    assert "不予受理" in page


def test_only_the_agents_own_cases_and_no_personal_numbers(village, monkeypatch):
    web, agent = person(village, Role.VILLAGE_AGENT)
    _, other = person(village, Role.VILLAGE_AGENT, username="other-agent")
    mine = case_make(by=agent)
    theirs = case_make(by=other)
    county_says(monkeypatch, [])
    page = web.get(URL).content.decode()
    assert mine.number in page and theirs.number not in page
    assert mine.applicant_id_number not in page and mine.applicant_phone not in page


def test_refused_to_anonymous_a_clerk_and_another_site(halls, village, monkeypatch):
    county_says(monkeypatch, [])
    assert Client().get(URL).status_code == 302  # to the login page
    clerk_web, _ = person(village, Role.CLERK)
    assert clerk_web.get(URL).status_code == 403  # a clerk files no cases as an agent
    township_agent_web, _ = person(halls["v-dongping"], Role.VILLAGE_AGENT)
    assert township_agent_web.get(URL).status_code == 403  # an agent of another station


def test_queries_constant_in_page_size(village, monkeypatch, django_assert_num_queries):
    web, agent = person(village, Role.VILLAGE_AGENT)
    cases = [case_make(by=agent, state="forwarded") for _ in range(6)]
    county_says(monkeypatch, [record(c) for c in cases])
    constant_queries(web, URL, 'class="followed"', django_assert_num_queries, small=2, big=6)


# --- the county's side: a signed request from the hall the cases were filed at


def ask(site: str, numbers, sign_as=None, at=None):
    body = json.dumps(
        {"site": site, "at": (at or timezone.now()).isoformat(), "numbers": numbers}
    ).encode()
    from django.test import override_settings

    with override_settings(HALL_SITE=sign_as or site):
        sig = request_sign(body)
    return Client().post(
        "/halls/followed/",
        body,
        content_type="application/json",
        headers={REQUEST_SIGNATURE_HEADER: sig},
    )


@pytest.fixture
def county_record(halls):
    from county.readmodel.models import CaseRecord

    return CaseRecord.objects.create(
        number="V-1",
        last_seq=4,
        status="concluded",
        outcome="approved",
        owner_site="t-maan",
        origin_site="v-shiqiao",
        decided_site="t-maan",
        item_code="mzj-002",
        item_name="临时救助",
        item_version=1,
        handling_type="promised",
        legal_limit_days=20,
        promised_limit_days=10,
        submitted_at=timezone.now(),
        clock_state="stopped",
    )


def test_the_county_answers_the_filing_hall_only(county_record):
    answer = ask("v-shiqiao", ["V-1"])
    assert answer.status_code == 200
    (row,) = answer.json()["cases"]
    assert row["owner_site"] == "t-maan" and row["status"] == "concluded"
    assert "applicant" not in json.dumps(row)
    # another station asks about a case it did not file: nothing
    assert ask("v-dongping", ["V-1"]).json()["cases"] == []


def test_the_county_refuses_forged_and_stale_requests(county_record):
    assert ask("v-shiqiao", ["V-1"], sign_as="v-dongping").status_code == 403
    old = timezone.now() - timezone.timedelta(hours=1)
    assert ask("v-shiqiao", ["V-1"], at=old).status_code == 403
    assert Client().post("/halls/followed/", b"{", "application/json").status_code == 400


def test_the_client_signs_and_reads_the_county_over_http(live_server, settings, county_record):
    settings.HALL_SITE = "v-shiqiao"
    settings.HALL_COUNTY_URL = live_server.url
    found = county_client.county_followed(numbers=["V-1", "V-2"])
    assert list(found) == ["V-1"]
    assert Case.objects.count() == 0

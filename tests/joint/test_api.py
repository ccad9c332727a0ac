"""Joint approvals over REST: every action by the right person, and refused for the wrong
tier, the wrong site, another department's window and anonymous callers."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permissions.roles import Role
from sites.joint.models import Part
from sites.registry.services import window_open
from tests.joint.conftest import joint_case, person

pytestmark = pytest.mark.django_db
SPREAD = {"hbj": {"site": "t-maan"}, "zrzy": {"site": "t-huangtan"}}
ANONYMOUS = {401, 403}


@pytest.fixture
def hall(joint, lead_clerk, supervisor):
    county = joint["county"]
    people = {
        "lead": lead_clerk,
        "supervisor": supervisor,
        "reviewer": person(county, Role.DEPARTMENT_REVIEWER, "卫健审核"),
        "auditor": person(county, Role.AUDITOR, "审计"),
        "township": person(joint["t-maan"], Role.CLERK, "马鞍镇"),
        "township_chief": person(joint["t-maan"], Role.CHIEF_REPRESENTATIVE, "马鞍镇首代"),
        "village": person(joint["v-shiqiao"], Role.CLERK, "石桥村"),
    }
    case = joint_case(by=lead_clerk, assignments=SPREAD)
    return case, people


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def part_url(name, case, department="wjj"):
    return reverse(name, kwargs={"number": case.number, "department": department})


def case_url(name, case):
    return reverse(name, kwargs={"number": case.number})


def codes(case, people, call) -> dict:
    found = {who: call(client(user)).status_code for who, user in people.items()}
    found["anonymous"] = call(client()).status_code
    return found


def test_opinion_only_by_the_parts_assignee(hall):
    case, people = hall
    url = part_url("part-opinion", case)
    body = {"opinion": "conditional", "reasons": "须配备消毒设施"}
    got = codes(case, people, lambda api: api.post(url, {"opinion": "bogus"}, format="json"))
    # the reviewer passes authorization (400: the opinion itself is invalid); no one else
    assert got.pop("anonymous") in ANONYMOUS
    assert got == {
        "lead": 403,  # sees the case, is not the department's reviewer
        "supervisor": 403,
        "reviewer": 400,
        "auditor": 403,
        "township": 404,  # another hall's part: looks like nothing
        "township_chief": 404,
        "village": 404,
    }
    done = client(people["reviewer"]).post(url, body, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["state"] == "answered" and done.json()["opinion_label"] == "有条件同意"
    again = client(people["reviewer"]).post(url, body, format="json")
    assert again.status_code == 400 and "不能出具意见" in again.json()["state"][0]


def test_opinion_from_another_departments_window_is_refused(hall, joint):
    case, _ = hall
    reviewer = person(joint["county"], Role.DEPARTMENT_REVIEWER, "民政审核")
    reviewer.staff.window = window_open(
        site=joint["county"], department=joint_department("mzj"), number="8", name="民政"
    )
    reviewer.staff.save()
    answer = client(reviewer).post(
        part_url("part-opinion", case), {"opinion": "agree"}, format="json"
    )
    assert answer.status_code == 403


def joint_department(code):
    from sites.registry.models import Department

    return Department.objects.get(code=code)


def test_reassignment_only_by_a_county_supervisor(hall):
    case, people = hall
    url = part_url("part-reassign", case, "hbj")
    got = codes(case, people, lambda api: api.post(url, {"reason": ""}, format="json"))
    assert got.pop("anonymous") in ANONYMOUS
    assert got == {
        "lead": 403,
        "supervisor": 400,  # authorized; the empty reason is refused by the domain
        "reviewer": 403,
        "auditor": 403,
        "township": 403,  # the part is at 马鞍镇: visible there, but the wrong tier
        "township_chief": 403,
        "village": 404,  # 石桥村 lies below 马鞍镇 and sees only its own subtree
    }
    moved = client(people["supervisor"]).post(
        url, {"site": "t-huangtan", "reason": "马鞍镇停电"}, format="json"
    )
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert body["site"] == "t-huangtan" and body["generation"] == 2
    assert body["reassignments"][0]["from"]["site"] == "t-maan"
    wrong = client(people["supervisor"]).post(
        url, {"department": "mzj", "reason": "停滞"}, format="json"
    )
    assert wrong.status_code == 400 and "不是该事项的联办部门" in wrong.json()["department"][0]


def test_reassignment_after_the_answer_is_refused_and_says_why(hall):
    case, people = hall
    client(people["reviewer"]).post(part_url("part-opinion", case), {"opinion": "agree"})
    refused = client(people["supervisor"]).post(
        part_url("part-reassign", case), {"site": "t-maan", "reason": "停滞"}, format="json"
    )
    assert refused.status_code == 400
    assert "以意见为准" in refused.json()["part"][0]


def test_stalled_list_only_for_supervision(hall):
    from datetime import timedelta

    from django.utils import timezone

    from sites.joint.models import PartRecord

    case, people = hall
    url = reverse("part-stalled")
    # given one part in its warning days and one overdue, the oldest deadline first
    today = timezone.localdate()
    PartRecord.objects.filter(key__endswith=":hbj").update(
        warning_from=today, deadline=today + timedelta(days=1)
    )
    PartRecord.objects.filter(key__endswith=":zrzy").update(
        warning_from=today - timedelta(days=5), deadline=today - timedelta(days=1)
    )
    got = codes(case, people, lambda api: api.get(url))
    assert got.pop("anonymous") in ANONYMOUS
    assert got == {
        "lead": 403,
        "supervisor": 200,
        "reviewer": 403,
        "auditor": 403,
        "township": 403,
        "township_chief": 403,
        "village": 403,
    }
    rows = client(people["supervisor"]).get(url).json()["results"]
    assert [(r["department"], r["overdue"]) for r in rows] == [("zrzy", True), ("hbj", False)]


def test_countersign_only_at_the_lead_window(hall):
    case, people = hall
    url = case_url("case-countersign", case)
    got = codes(case, people, lambda api: api.post(url, {"outcome": "approved"}, format="json"))
    assert got.pop("anonymous") in ANONYMOUS
    assert got == {
        "lead": 400,  # authorized to handle; the 首席代表 signs (seed 001 第十五条(三))
        "supervisor": 403,
        "reviewer": 403,
        "auditor": 403,
        "township": 404,
        "township_chief": 404,
        "village": 404,
    }
    refused = client(people["lead"]).post(url, {"outcome": "approved"}, format="json")
    assert "首席代表" in refused.json()["by"][0]


def test_parts_open_only_by_the_cases_handler(hall):
    case, people = hall
    url = case_url("case-parts-open", case)
    got = codes(case, people, lambda api: api.post(url, {}, format="json"))
    assert got.pop("anonymous") in ANONYMOUS
    assert got["lead"] == 400  # authorized; already sent out
    assert {k: v for k, v in got.items() if k != "lead"} == {
        "supervisor": 403,
        "reviewer": 403,
        "auditor": 403,
        "township": 404,
        "township_chief": 404,
        "village": 404,
    }


def test_parts_open_for_a_joint_case_that_arrived_by_forwarding(joint, at_site):
    from sites.cases import services, transfer
    from tests.cases.factories import ID_NUMBER, PHONE

    # given a joint item (宅基地建房) taken in at a village and forwarded up to the county
    at_site("v-shiqiao")
    agent = person(joint["v-shiqiao"], Role.CLERK, "村")
    case = services.case_submit(
        by=agent,
        item_code="zrzy-001",
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        materials=["农村宅基地和建房(规划许可)申请表", "村民小组会议记录", "建房设计图", "户口簿"],
    )
    services.case_accept(case=case, by=agent)
    assert not Part.objects.exists()  # the village may not decide: no parts there
    transfer.case_forward(case=case, by=agent)
    at_site("t-maan")
    transfer.case_forward(case=case, by=person(joint["t-maan"], Role.CLERK, "镇"))
    at_site("county")
    lead = person(joint["county"], Role.CLERK, "县")
    case.refresh_from_db()
    from permissions.services import case_grants_for_owner

    case_grants_for_owner(case=case)
    # when the county sends the parts out
    done = client(lead).post(
        case_url("case-parts-open", case),
        {"assignments": {"nync": {"site": "t-maan", "window": "2"}}},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert {(p.department.code, p.site.code) for p in Part.objects.all()} == {
        ("jsj", "county"),
        ("nync", "t-maan"),
    }
    assert done.json()["timeline"][-1]["type"] == "parts_opened"


def test_part_list_and_detail_show_what_the_caller_may_see(hall):
    case, people = hall
    mine = client(people["township"]).get(reverse("part-list")).json()["results"]
    assert [p["department"] for p in mine] == ["hbj"]
    assert mine[0]["applicant_name"] == "李*"
    everything = client(people["supervisor"]).get(reverse("part-list")).json()["results"]
    assert sorted(p["department"] for p in everything) == ["hbj", "wjj", "zrzy"]
    detail = client(people["reviewer"]).get(part_url("part-detail", case))
    assert detail.status_code == 200 and detail.json()["clock"]["state"] == "on_time"
    assert client(people["township"]).get(part_url("part-detail", case)).status_code == 404
    assert client().get(reverse("part-list")).status_code in ANONYMOUS


def test_the_part_list_costs_the_same_queries_for_3_or_15_parts(hall, lead_clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, people = hall
    api = client(people["supervisor"])
    api.get(reverse("part-list"))  # warm the per-process calendar cache
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(reverse("part-list")).json()["results"]) == 3
    for _ in range(4):
        joint_case(by=lead_clerk, assignments=SPREAD)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(reverse("part-list")).json()["results"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_accepting_a_joint_case_through_the_api_sends_the_parts_out(joint, lead_clerk):
    from tests.cases.factories import ID_NUMBER, PHONE
    from tests.joint.conftest import JOINT_ITEM, MATERIALS

    api = client(lead_clerk)
    made = api.post(
        reverse("case-list"),
        {
            "item_code": JOINT_ITEM,
            "applicant_name": "李四",
            "applicant_id_number": ID_NUMBER,
            "applicant_phone": PHONE,
            "materials": MATERIALS,
        },
        format="json",
    )
    number = made.json()["number"]
    bad = api.post(
        reverse("case-accept", kwargs={"number": number}),
        {"assignments": {"mzj": {"site": "t-maan"}}},
        format="json",
    )
    assert bad.status_code == 400 and "不是该事项的联办部门" in bad.json()["assignments"][0]
    done = api.post(
        reverse("case-accept", kwargs={"number": number}),
        {"assignments": {"hbj": {"site": "t-maan", "window": "3"}}},
        format="json",
    )
    assert done.status_code == 200, done.json()
    assert [e["type"] for e in done.json()["timeline"]][-1] == "parts_opened"
    sites = dict(Part.objects.values_list("department__code", "site__code"))
    assert sites == {"hbj": "t-maan", "wjj": "county", "zrzy": "county"}

"""The clerk REST API: list/filter, detail, one endpoint per action, notices, access."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from permissions.roles import Role
from permissions.services import staff_create
from sites.cases.models import Case
from tests.cases.factories import ALL_MATERIALS, ID_NUMBER, PHONE, case_make

pytestmark = pytest.mark.django_db


def client_for(site, role=Role.CLERK, name="王五"):
    user = staff_create(
        username=f"{site.code}-{role}-{name}", name=name, site=site, roles=[role], password=None
    )
    api = APIClient()
    api.force_authenticate(user)
    return api, user


def url(name, number=None, **kw):
    return reverse(name, kwargs={"number": number, **kw} if number else None)


SUBMIT = {
    "item_code": "mzj-002",
    "applicant_name": "李四",
    "applicant_id_number": ID_NUMBER,
    "applicant_phone": PHONE,
    "materials": ALL_MATERIALS,
}


def test_submit_accept_decide_through_the_api(township):
    api, _ = client_for(township)
    # given a case filed at the window
    made = api.post(url("case-list"), SUBMIT, format="json")
    assert made.status_code == 201, made.json()
    number = made.json()["number"]
    # when it is accepted
    accepted = api.post(url("case-accept", number), {}, format="json")
    # then the query code is shown once and the notice prints without it
    assert accepted.status_code == 200, accepted.json()
    code = accepted.json()["query_code"]
    assert len(code) == 8 and accepted.json()["clock"]["state"] == "on_time"
    notice = api.get(accepted.json()["notice_url"])
    assert notice.status_code == 200 and "承诺件通知书" in notice.content.decode()
    assert code not in notice.content.decode()
    assert "query_code" not in api.get(url("case-detail", number)).json()
    # and the clerk may not sign the decision (seed 001 第十五条): the 首席代表 does
    refused = api.post(url("case-decide", number), {"outcome": "approved"}, format="json")
    assert refused.status_code == 400 and "首席代表" in str(refused.json())
    chief, _ = client_for(township, Role.CHIEF_REPRESENTATIVE, "赵首席")
    decided = chief.post(url("case-decide", number), {"outcome": "approved"}, format="json")
    assert decided.json()["status"] == "concluded"
    assert [e["type"] for e in decided.json()["timeline"]] == ["submitted", "accepted", "decided"]


def test_applicant_data_is_masked_in_list_and_detail(township):
    api, user = client_for(township)
    case = case_make(by=user, state="accepted")
    row = api.get(url("case-list")).json()["results"][0]
    detail = api.get(url("case-detail", case.number)).json()
    for shown in (row, detail):
        assert shown["applicant_id_number"] == "110105********002X"
        assert shown["applicant_phone"] == "138****5678"
        assert shown["applicant_name"] == "李*"
    assert ID_NUMBER not in str(detail) and PHONE not in str(detail)


def test_bad_input_is_a_field_level_400(township):
    api, _ = client_for(township)
    bad = dict(SUBMIT, applicant_id_number="110105194912310021")
    response = api.post(url("case-list"), bad, format="json")
    assert response.status_code == 400
    assert "校验位" in response.json()["applicant_id_number"][0]
    assert Case.objects.count() == 0


def test_decide_before_accept_is_400_with_status_field(township):
    api, user = client_for(township)
    case = case_make(by=user)
    response = api.post(url("case-decide", case.number), {"outcome": "approved"}, format="json")
    assert response.status_code == 400 and "尚未受理" in response.json()["status"][0]


@pytest.mark.parametrize(
    ("route", "body", "status"),
    [
        ("case-supplement", {"items": ["户籍证明"]}, "suspended"),
        ("case-extend", {"days": 2, "reason": "现场核查"}, "accepted"),
        ("case-return", {"reason": "不符合政策", "policy": "第五条"}, "returned"),
        ("case-withdraw", {"reason": "申请人撤回"}, "withdrawn"),
        ("case-forward", {"note": "需县级审批"}, "accepted"),
    ],
)
def test_each_action_endpoint(township, route, body, status):
    api, user = client_for(township)
    case = case_make(by=user, state="accepted")
    response = api.post(url(route, case.number), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == status


def test_refuse_and_notice(township):
    api, user = client_for(township)
    case = case_make(by=user)
    response = api.post(url("case-refuse", case.number), {"reasons": "不属于本事项"}, format="json")
    assert response.json()["status"] == "refused"
    html = api.get(url("case-notice", case.number, kind="refusal")).content.decode()
    assert "不予受理通知书" in html and "不属于本事项" in html
    assert api.get(url("case-notice", case.number, kind="return")).status_code == 400


def test_supplement_complete_and_notice_lists_every_item(township):
    api, user = client_for(township)
    case = case_make(by=user, state="suspended")
    html = api.get(url("case-notice", case.number, kind="supplement")).content.decode()
    assert "一次性告知" in html and "户籍证明" in html
    done = api.post(url("case-supplement-complete", case.number), {}, format="json")
    assert done.json()["status"] == "accepted"


def test_other_halls_case_is_not_found_and_not_listed(halls, at_site):
    at_site("t-maan")
    _, maan = client_for(halls["t-maan"], name="甲")
    case = case_make(by=maan, state="accepted")
    other, _ = client_for(halls["t-huangtan"], name="乙")
    assert other.get(url("case-detail", case.number)).status_code == 404
    assert other.post(url("case-decide", case.number), {"outcome": "approved"}).status_code == 404
    assert other.get(url("case-list")).json()["count"] == 0


def test_auditor_may_view_but_not_act(halls, at_site):
    at_site("county")
    _, clerk = client_for(halls["county"], name="丙")
    case = case_make(
        by=clerk, item="mzj-004", materials=["双方身份证", "双方户口簿", "近期半身免冠合影照片"]
    )
    auditor, _ = client_for(halls["county"], role=Role.AUDITOR, name="丁")
    assert auditor.get(url("case-detail", case.number)).status_code == 200
    assert auditor.post(url("case-accept", case.number), {}).status_code == 403


def test_list_filters(township):
    api, user = client_for(township)
    open_case = case_make(by=user, state="accepted")
    case_make(by=user, state="concluded")
    case_make(by=user, state="accepted", item="nync-002", materials=["流转合同", "申请人身份证"])

    def numbers(**params):
        page = api.get(url("case-list"), params).json()
        # the count follows the same filters as the rows (it is taken without their joins)
        assert page["count"] == len(page["results"])
        return [r["number"] for r in page["results"]]

    assert len(numbers()) == 3
    assert len(numbers(status="concluded")) == 1
    assert len(numbers(item="nync-002")) == 1
    assert open_case.number in numbers(clock_state="on_time")
    assert numbers(clock_state="overdue") == []
    assert numbers(submitted_from="2000-01-01", submitted_to="2000-12-31") == []
    assert api.get(url("case-list"), {"status": "nonsense"}).status_code == 400


def test_list_query_count_does_not_grow_with_rows(township, django_assert_max_num_queries):
    api, user = client_for(township)
    case_make(by=user, state="accepted")
    with django_assert_max_num_queries(6) as few:
        api.get(url("case-list"))
    for _ in range(5):
        case_make(by=user, state="accepted")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(url("case-list"))
    assert response.json()["count"] == 6


def test_list_count_reads_only_the_cases_table_unless_a_filter_needs_a_join(township):
    # given a case in the list
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api, user = client_for(township)
    case_make(by=user, state="accepted")

    def count_sql(**params):
        with CaptureQueriesContext(connection) as seen:
            assert api.get(url("case-list"), params).json()["count"] == 1
        return next(q["sql"] for q in seen.captured_queries if "COUNT(" in q["sql"])

    # when the list is counted unfiltered, then no row join is paid (item, version, sites)
    assert "JOIN" not in count_sql()
    # and filtered by item, only the joins that filter needs are there
    by_item = count_sql(item=Case.objects.get().item_version.item.code)
    assert '"catalogue_item"' in by_item and '"registry_site"' not in by_item


def test_list_rows_match_the_declared_fields_in_every_state(township):
    # given cases in the states a list shows
    api, user = client_for(township)
    for state in ("submitted", "accepted", "suspended", "concluded", "refused", "withdrawn"):
        case_make(by=user, state=state)
    from rest_framework.serializers import Serializer

    from sites.cases.selectors import case_list_for_user
    from sites.cases.serializers import CaseSerializer

    rows = list(case_list_for_user(user=user))
    assert {r.status for r in rows} >= {"submitted", "accepted", "concluded", "refused"}
    # when each row is rendered by the list's own code and by DRF's generic field path
    generic = Serializer.to_representation
    for case in rows:
        fast = CaseSerializer(case).data
        # then both give the same keys and values: the declared fields are the schema
        assert fast == generic(CaseSerializer(case), case)
        assert fast["applicant_id_number"] == ID_NUMBER[:6] + "*" * 8 + ID_NUMBER[-4:]
    # and the API list returns exactly those rows
    listed = api.get(url("case-list")).json()["results"]
    assert listed == [CaseSerializer(case).data for case in rows]


def test_list_count_is_bounded_ahead_of_the_page(township, monkeypatch):
    # given five cases and a count that stops two rows past the page's offset
    from sites.cases import pagination

    monkeypatch.setattr(pagination, "COUNT_AHEAD", 2)
    api, user = client_for(township)
    for _ in range(5):
        case_make(by=user, state="accepted")
    # when the first page of two is asked for
    first = api.get(url("case-list"), {"limit": 2}).json()
    # then the count is a lower bound, marked so, and the next page is offered
    assert (first["count"], first["count_capped"], len(first["results"])) == (3, True, 2)
    assert first["next"]
    # and from offset 3 the rest is counted exactly
    rest = api.get(url("case-list"), {"limit": 2, "offset": 3}).json()
    assert (rest["count"], rest["count_capped"], len(rest["results"])) == (5, False, 2)
    assert rest["next"] is None

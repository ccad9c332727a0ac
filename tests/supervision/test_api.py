"""The same figures through REST and GraphQL; who may ask is decided in one place."""

import pytest

from permissions.roles import Role
from tests.permissions.factories import staff
from tests.supervision.test_figures import HAND

pytestmark = pytest.mark.django_db
T_MAAN_NOV = {"site": "t-maan", "kind": "month", "period": "2026-11"}

QUERY = """
query($site: String!) {
  supervisionFigures(site: $site, periodKind: "month", period: "2026-11", by: "site") {
    period total { received accepted concluded completionRate sameDayRate onTimeRate
                   avgAcceptDays avgHandleDays promisedSpeedupRate actualSpeedupRate
                   overdue deemed }
    rows { key name received }
  }
  supervisionTrend(site: $site, until: "2026-11-30", months: 3) { key received }
}
"""


def gql(client, site="t-maan"):
    return client.post(
        "/graphql/", {"query": QUERY, "variables": {"site": site}}, content_type="application/json"
    ).json()


def test_rest_figures_match_the_hand_count(month, halls, client):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    data = client.get("/api/supervision/figures/", T_MAAN_NOV | {"by": "department"}).json()
    assert data["period"] == "2026年11月"
    assert {k: data["total"][k] for k in HAND} == HAND
    assert {r["key"] for r in data["rows"]} >= {"mzj", "rsj", "scjg", "wjj"}
    trend = client.get("/api/supervision/trend/", {"site": "t-maan", "until": "2026-11-30"}).json()
    assert len(trend) == 12 and trend[-1]["received"] == 6


def test_graphql_figures_match_the_hand_count(month, halls, client):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    data = gql(client)["data"]
    total = data["supervisionFigures"]["total"]
    assert (total["received"], total["completionRate"], total["avgHandleDays"]) == (6, 0.6, 3.5)
    assert total["actualSpeedupRate"] == HAND["actual_speedup_rate"]
    rows = {r["key"]: r for r in data["supervisionFigures"]["rows"]}
    assert rows["t-maan"]["name"] == "马鞍镇便民服务中心"
    assert [r["received"] for r in data["supervisionTrend"]] == [0, 1, 6]


def test_rest_and_graphql_refuse_the_wrong_tier_and_anonymous(month, halls, client):
    assert client.get("/api/supervision/figures/", T_MAAN_NOV).status_code in (401, 403)
    assert "errors" in gql(client)
    client.force_login(staff(halls["t-maan"], Role.CLERK))
    assert client.get("/api/supervision/figures/", T_MAAN_NOV).status_code == 403
    assert gql(client)["errors"][0]["message"] == "无权查看该站点的电子监察统计。"
    client.force_login(staff(halls["county"], Role.CATALOGUE_ADMIN))
    assert client.get("/api/supervision/trend/", T_MAAN_NOV).status_code == 403
    assert client.post("/api/supervision/orders/", {"case": "x", "reason": "y"}).status_code == 403


def test_rest_order_issue_and_answer_at_the_hall(month, halls, client, settings, at_site):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    made = client.post(
        "/api/supervision/orders/",
        {"case": "t-maan-20261110-0001", "reason": "逾期未作决定"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["site_code"] == "t-maan"
    code = made.json()["code"]
    # at the township node (same database here; the multi-node test covers the real trip)
    from county.supervision.models import SupervisionOrder

    SupervisionOrder.objects.filter(code=code).update(is_copy=True)
    settings.HALL_TIER = "township"
    at_site("t-maan")
    url = f"/api/supervision/orders/{code}/answer/"
    client.force_login(staff(halls["t-huangtan"], Role.CLERK))  # the wrong hall
    assert client.post(url, {"answer": "好"}, content_type="application/json").status_code == 404
    client.force_login(staff(halls["t-maan"], Role.CLERK))
    done = client.post(url, {"answer": "已作出决定"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == "answered"
    again = client.post(url, {"answer": "再答"}, content_type="application/json")
    assert again.status_code == 400


def test_graphql_lights_for_the_supervisor(month, halls, client):
    from datetime import date

    from county.supervision.alerts import alerts_tick

    alerts_tick(today=date(2026, 11, 18))
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    query = '{ supervisionAlerts(level: "warning") { number level step siteCode departmentCode } }'
    data = client.post("/graphql/", {"query": query}, content_type="application/json").json()
    assert data["data"]["supervisionAlerts"] == [
        {
            "number": "t-maan-20261110-0001",
            "level": "warning",
            "step": "case",
            "siteCode": "t-maan",
            "departmentCode": "mzj",
        }
    ]


def test_figures_by_day_within_a_month(month, halls, client):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    data = client.get("/api/supervision/figures/", T_MAAN_NOV | {"by": "day"}).json()
    days = {r["key"]: r["received"] for r in data["rows"]}
    assert days["2026-11-02"] == 1 and days["2026-11-03"] == 1 and sum(days.values()) == 6


# Every supervision route, by its URL name (the API matrix in tests/permissions lists these
# as tried here): anonymous, a township clerk (wrong tier) and the county's catalogue keeper
# (staff at the right hall without 电子监察) are refused; the county supervisor may. Answers
# to an order are given at the hall holding the case (the wrong hall: see the test above).
ROUTES = {
    ("GET", "supervision-figures"): ({}, T_MAAN_NOV),
    ("GET", "supervision-trend"): ({}, {"site": "t-maan", "until": "2026-11-30", "months": 3}),
    ("GET", "supervision-alerts"): ({}, {}),
    ("GET", "supervision-orders"): ({}, {}),
    ("POST", "supervision-orders"): ({}, {"case": "t-maan-20261110-0001", "reason": "逾期"}),
    ("POST", "supervision-order-answer"): ({"code": "DB-none"}, {"answer": "已办"}),
}


@pytest.mark.parametrize(("method", "name"), sorted(ROUTES))
def test_every_supervision_route_refuses_the_wrong_people(month, halls, client, method, name):
    from django.urls import reverse

    kwargs, data = ROUTES[(method, name)]
    url = reverse(name, kwargs=kwargs)

    def call():
        if method == "GET":
            return client.get(url, data)
        return client.post(url, data, content_type="application/json")

    assert call().status_code in (401, 403)  # anonymous
    client.force_login(staff(halls["t-maan"], Role.CLERK))
    wrong_tier = call().status_code
    client.force_login(staff(halls["county"], Role.CATALOGUE_ADMIN))
    wrong_role = call().status_code
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    supervisor = call().status_code
    assert (wrong_tier, wrong_role) == (403, 403) or name == "supervision-order-answer"
    if name == "supervision-order-answer":
        # answers are given at the hall holding the case, by its staff only (the wrong hall:
        # test_rest_order_issue_and_answer_at_the_hall); at the county nobody answers
        assert {wrong_tier, wrong_role, supervisor} <= {403, 404}
    else:
        assert 200 <= supervisor < 300

"""Seed 000 (二、一是): 「使审批职能整合率、应进事项进厅率、窗口授权到位率、进厅事项办结率“四率”
达到90%以上」, counted as county.supervision.four_rates says, by hand on the sample catalogue."""

from datetime import date

import pytest

from county.assessment.services import window_ref
from county.supervision import selectors as sel
from county.supervision.exports import COLUMNS
from county.supervision.four_rates import attach as four_rates_attach
from permissions.roles import Role
from tests.permissions.factories import staff

pytestmark = pytest.mark.django_db
NOV = sel.Period("month", date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def windows(halls):
    """石桥村 has one window, 民政 (mzj); 马鞍镇 two, 民政 and 人社 (rsj)."""
    window_ref(site_code="v-shiqiao", number="1", name="综合窗口", department_code="mzj")
    window_ref(site_code="t-maan", number="1", name="民政窗口", department_code="mzj")
    window_ref(site_code="t-maan", number="2", name="人社窗口", department_code="rsj")
    return halls


def test_the_four_rates_by_hand(windows):
    """石桥村 should handle 12 delegated items (民政 mzj-001/002/003/005, rsj-001, ybj-001,
    zrzy-001, nync-002, wjj-002, gaj-003, tyjrs-001, sfj-001) of 9 departments, all 代收代办;
    its 民政 window holds 4 of them: 进厅率 4/12 = 33.33%, 整合率 1/9 = 11.11%, 授权到位率
    0/4 = 0%. 马鞍镇 should handle 27 items of 12 departments; 民政 (5) and 人社 (4) are in
    the hall, all 受理并办结: 9/27 = 33.33%, 2/12 = 16.67%, 9/9 = 100%. Together:
    13/39 = 33.33%, 3/21 = 14.29%, 9/13 = 69.23%. Before issue 22: not computed."""
    total = sel.figures(period=NOV, sites=["t-maan", "v-shiqiao"])
    assert (total["items_due"], total["items_in_hall"]) == (39, 13)
    assert (total["in_hall_rate"], total["integration_rate"], total["authorised_rate"]) == (
        0.3333,
        0.1429,
        0.6923,
    )
    shiqiao = sel.figures(period=NOV, sites=["v-shiqiao"])
    assert (shiqiao["in_hall_rate"], shiqiao["integration_rate"]) == (0.3333, 0.1111)
    assert shiqiao["authorised_rate"] == 0.0
    maan = sel.figures(period=NOV, sites=["t-maan"])
    assert (maan["in_hall_rate"], maan["integration_rate"], maan["authorised_rate"]) == (
        0.3333,
        0.1667,
        1.0,
    )
    # per hall as a group row (the dashboard's table, the Excel export): the same
    rows = [{"key": "t-maan", "completion_rate": None}, {"key": "v-shiqiao"}]
    four_rates_attach(total={}, rows=rows, end=NOV.end, sites=["t-maan", "v-shiqiao"], by="site")
    assert [r["integration_rate"] for r in rows] == [0.1667, 0.1111]
    # one department: 民政 at both halls is wholly in the hall
    mzj = sel.figures(period=NOV, sites=["t-maan", "v-shiqiao"], department="mzj")
    assert (mzj["items_due"], mzj["in_hall_rate"], mzj["integration_rate"]) == (9, 1.0, 1.0)
    assert mzj["authorised_rate"] == round(5 / 9, 4)
    # 进厅事项办结率 is the cohort 办结率 of the cases accepted at the halls
    assert total["hall_completion_rate"] == total["completion_rate"]
    assert {"integration_rate", "in_hall_rate", "authorised_rate", "hall_completion_rate"} <= {
        k for k, _, _ in COLUMNS
    }  # the Excel export's columns


def test_rest_graphql_and_the_dashboard_show_them(windows, client):
    client.force_login(staff(windows["county"], Role.COUNTY_SUPERVISOR))
    params = {"site": "v-shiqiao", "kind": "month", "period": "2026-11"}
    total = client.get("/api/supervision/figures/", params).json()["total"]
    assert (total["in_hall_rate"], total["integration_rate"], total["authorised_rate"]) == (
        0.3333,
        0.1111,
        0.0,
    )
    query = """{ supervisionFigures(site: "v-shiqiao", periodKind: "month", period: "2026-11")
                 { total { itemsDue inHallRate integrationRate authorisedRate } } }"""
    data = client.post("/graphql/", {"query": query}, content_type="application/json").json()
    assert data["data"]["supervisionFigures"]["total"] == {
        "itemsDue": 12,
        "inHallRate": 0.3333,
        "integrationRate": 0.1111,
        "authorisedRate": 0.0,
    }
    page = client.get("/jiancha/", params).content.decode()
    assert "应进事项进厅率<b>33.33%</b>" in page and "目标 90% 以上" in page

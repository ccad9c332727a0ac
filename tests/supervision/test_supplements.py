"""补办件 counted at the county (seed 001 第十条(五)): notices issued and how many were
answered with complete materials, on the dashboard, REST, GraphQL and the Excel export."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from county.supervision.rollup import stats_rebuild
from county.supervision.selectors import figures, period_parse
from permissions.roles import Role
from tests.permissions.factories import staff
from tests.supervision.factories import Timeline, bj

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplements(halls, at_site):
    """At t-maan in November 2026:
    P 一次性告知 11-05, complete 11-09 (a returned 补办件)
    Q 补办件 at intake 11-06, never complete
    R 容缺 material handed in 11-10 (no 补办件: not counted)
    S 一次性告知 10-29 (October), complete 11-03: counts in October's row"""
    at_site("county")
    p = Timeline("t-maan-20261102-0001", "mzj-002", "t-maan", bj("2026-11-02", "09:00"))
    p.accept(bj("2026-11-02"), date(2026, 11, 11))
    p.event("supplement_requested", bj("2026-11-05"), "t-maan", {"items": ["户籍证明"]})
    p.event("supplement_completed", bj("2026-11-09"), "t-maan", {"restart": True})
    q = Timeline("t-maan-20261106-0001", "mzj-002", "t-maan", bj("2026-11-06", "09:00"))
    q.event("supplement_requested", bj("2026-11-06"), "t-maan", {"items": ["临时救助申请书"]})
    r = Timeline("t-maan-20261110-0001", "mzj-002", "t-maan", bj("2026-11-10", "09:00"))
    r.accept(bj("2026-11-10"), date(2026, 11, 19))
    r.event("supplement_completed", bj("2026-11-10"), "t-maan", {"deferred_supplied": ["x"]})
    s = Timeline("t-maan-20261029-0001", "mzj-002", "t-maan", bj("2026-10-29", "09:00"))
    s.accept(bj("2026-10-29"), date(2026, 11, 9))
    s.event("supplement_requested", bj("2026-10-29", "11:00"), "t-maan", {"items": ["y"]})
    s.event("supplement_completed", bj("2026-11-03"), "t-maan", {"restart": True})


def month(value):
    return period_parse(kind="month", value=value, today=date(2026, 12, 1))


def test_supplements_and_their_return_rate(supplements):
    """November: P and Q issued (2), P returned (1): 50%. October: S issued and returned."""
    nov = figures(period=month("2026-11"), sites=["t-maan"])
    assert (nov["supplements"], nov["supplements_returned"]) == (2, 1)
    assert nov["supplement_return_rate"] == 0.5
    oct_ = figures(period=month("2026-10"), sites=["t-maan"])
    assert (oct_["supplements"], oct_["supplement_return_rate"]) == (1, 1.0)
    stats_rebuild()  # the rebuild folds the same facts the same way
    assert figures(period=month("2026-11"), sites=["t-maan"]) == nov


def test_supplements_on_rest_graphql_excel_and_the_dashboard(supplements, halls, client):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    query = {"site": "t-maan", "kind": "month", "period": "2026-11"}
    data = client.get("/api/supervision/figures/", query).json()
    assert (data["total"]["supplements"], data["total"]["supplement_return_rate"]) == (2, 0.5)
    gql = """{ supervisionFigures(site: "t-maan", periodKind: "month", period: "2026-11") {
        total { supplements supplementsReturned supplementReturnRate } } }"""
    total = client.post("/graphql/", {"query": gql}, content_type="application/json").json()
    assert total["data"]["supervisionFigures"]["total"] == {
        "supplements": 2,
        "supplementsReturned": 1,
        "supplementReturnRate": 0.5,
    }
    page = client.get("/jiancha/", query).content.decode()
    assert "补办件补齐率" in page and "50.00%" in page
    sheet = load_workbook(BytesIO(client.get("/jiancha/daochu.xlsx", query).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = dict(zip(rows[1], rows[-1], strict=True))
    assert (total_row["补办件"], total_row["补办件补齐率"]) == (2, 0.5)

"""评价率 and 满意度 (seed 003: 「政务服务评价率达64.44%,满意度99.96%」) per hall and month,
on the hand-counted month: a rating counts on its case's conclusion row, so neither rate
can exceed 100%."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from county.supervision.rollup import stats_rebuild
from county.supervision.selectors import figures, period_parse, subtree_codes
from permissions.roles import Role
from sites.feedback.models import Rating
from tests.permissions.factories import staff

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def rate(number, level):
    Rating.objects.create(
        case_number=number,
        level=level,
        channel="online",
        given_at=datetime(2026, 11, 20, 10, tzinfo=TZ),
        given_site="t-maan",
    )


@pytest.fixture
def rated(month):
    """A (concluded 11-06) 非常满意, B (11-03) 不满意, G (11-02) 基本满意; D is open: its
    rating is no case figure; a queue-number rating neither."""
    rate("v-shiqiao-20261102-0001", "very_satisfied")
    rate("t-maan-20261103-0001", "dissatisfied")
    rate("t-maan-20261030-0001", "fair")
    rate("t-maan-20261110-0001", "satisfied")
    rate("PD-t-maan-20261120-A001-1", "satisfied")


def november():
    return period_parse(kind="month", value="2026-11", today=date(2026, 12, 1))


def test_rating_rate_and_satisfaction_by_hand(rated):
    """t-maan's subtree concluded A B C G (4): 3 rated → 评价率 75%; 2 of 3 satisfied
    (非常满意, 基本满意; 不满意 is not) → 满意度 66.67%."""
    total = figures(period=november(), sites=subtree_codes(code="t-maan"))
    assert (total["rated"], total["rating_rate"], total["satisfaction_rate"]) == (3, 0.75, 0.6667)
    stats_rebuild()
    again = figures(period=november(), sites=subtree_codes(code="t-maan"))
    assert (again["rated"], again["rating_rate"]) == (3, 0.75)


def test_rates_on_rest_and_graphql(rated, halls, client):
    client.force_login(staff(halls["county"], Role.COUNTY_SUPERVISOR))
    query = {"site": "t-maan", "kind": "month", "period": "2026-11"}
    data = client.get("/api/supervision/figures/", query).json()["total"]
    assert (data["rating_rate"], data["satisfaction_rate"]) == (0.75, 0.6667)
    gql = """{ supervisionFigures(site: "t-maan", periodKind: "month", period: "2026-11") {
        total { ratingRate satisfactionRate } } }"""
    body = client.post("/graphql/", {"query": gql}, content_type="application/json").json()
    assert body["data"]["supervisionFigures"]["total"] == {
        "ratingRate": 0.75,
        "satisfactionRate": 0.6667,
    }
    page = client.get("/jiancha/", query).content.decode()
    assert "评价率" in page and "75.00%" in page and "满意度" in page

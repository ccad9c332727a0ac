"""Dashboard, Excel export, monthly report, lights feed: figures agree with the hand count;
the wrong tier, the wrong site and an anonymous caller are refused; query counts are flat."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from county.supervision.alerts import alerts_tick
from permissions.roles import Role
from tests.permissions.factories import staff
from tests.supervision.test_figures import HAND

pytestmark = pytest.mark.django_db
T_MAAN_NOV = {"site": "t-maan", "kind": "month", "period": "2026-11"}


@pytest.fixture
def supervisor(month, halls, client):
    user = staff(halls["county"], Role.COUNTY_SUPERVISOR)
    client.force_login(user)
    return user


def test_the_excel_export_agrees_with_the_hand_count(supervisor, client):
    # Given the hand-counted month, when the supervisor exports t-maan's subtree by site
    response = client.get("/jiancha/daochu.xlsx", T_MAAN_NOV | {"by": "site"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    # Then the headings are Chinese and the 合计 row is the hand count
    assert rows[0][0] == "马鞍镇便民服务中心(含下级) 2026年11月 办件统计"
    assert rows[1][:7] == ("站点", "收件", "受理", "办结", "办结率", "日结率", "按时办结率")
    by_label = {r[0]: r for r in rows[2:]}
    total = by_label["合计"]
    keys = [
        "received",
        "accepted",
        "concluded",
        "completion_rate",
        "same_day_rate",
        "on_time_rate",
        "avg_accept_days",
        "avg_handle_days",
        "promised_speedup_rate",
        "actual_speedup_rate",
        "overdue",
        "deemed",
        "supplements",
        "supplement_return_rate",
        "rating_rate",
        "satisfaction_rate",
        "integration_rate",
        "in_hall_rate",
        "authorised_rate",
        "hall_completion_rate",
    ]
    assert dict(zip(keys, total[1:], strict=True)) == {k: HAND[k] for k in keys}
    assert by_label["石桥村便民服务站"][1:4] == (1, 0, 0)  # A counts once, at t-maan
    assert by_label["马鞍镇便民服务中心"][1:4] == (4, 5, 4)
    assert sheet.cell(row=3, column=5).number_format == "0.00%"


def test_dashboard_shows_the_figures_the_chart_and_the_red_cases(supervisor, client):
    from datetime import date

    alerts_tick(today=date(2026, 11, 25))
    page = client.get("/jiancha/", T_MAAN_NOV).content.decode()
    assert "办结率" in page and "60.00%" in page and "75.00%" in page
    assert "supervision/vendor/echarts/echarts.min.js" in page and "cdn" not in page.lower()
    assert "t-maan-20261110-0001" in page  # D is red
    assert "督办" in page


@pytest.mark.parametrize(
    ("query", "field"),
    [({"period": "2026-13"}, "period"), ({"period": "1999"}, "period"), ({"kind": "week"}, "kind")],
)
def test_a_bad_period_shows_the_dashboard_again_with_the_error_beside_it(
    supervisor, client, query, field
):
    page = client.get("/jiancha/", {"site": "county", **query})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'class="error-summary"' in html and f'href="#id_{field}"' in html
    assert f'id="id_{field}-error"' in html  # beside the field
    assert "办结率" in html  # the dashboard itself (this month's figures), not a bare 400 page
    if field == "period":
        assert f'value="{query["period"]}"' in html  # what was typed is kept


def test_monthly_report_is_a_printable_page_per_hall(supervisor, client):
    page = client.get("/jiancha/yuebao/t-maan/2026-11/").content.decode()
    assert "马鞍镇便民服务中心 2026年11月 政务服务月报" in page
    assert "超时 1 件" in page and "window.print()" in page


def test_dashboard_queries_do_not_grow_with_rows(supervisor, client):
    def count(by):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(
                    "/jiancha/", {"site": "county", "period": "2026-11", "by": by}
                ).status_code
                == 200
            )
        return len(ctx.captured_queries)

    assert count("site") == count("item") == count("department")


@pytest.mark.parametrize(
    "path", ["/jiancha/", "/jiancha/daochu.xlsx", "/jiancha/yuebao/t-maan/2026-11/"]
)
def test_wrong_tier_wrong_site_and_anonymous_are_refused(month, halls, client, path):
    assert client.get(path, T_MAAN_NOV).status_code == 302  # anonymous: to the login page
    client.force_login(staff(halls["t-maan"], Role.CLERK))  # a township clerk: not supervision
    assert client.get(path, T_MAAN_NOV).status_code == 403
    client.force_login(staff(halls["county"], Role.CLERK))  # the county tier, wrong role
    assert client.get(path, T_MAAN_NOV).status_code == 403


def test_a_township_clerk_sees_the_feed_of_its_own_hall_only(
    month, halls, client, at_site, settings
):
    from datetime import date

    from county.supervision.models import Alert

    alerts_tick(today=date(2026, 11, 25))  # county lights for t-maan's cases
    Alert.objects.filter(number="t-maan-20261109-0001").update(site_code="t-huangtan")
    settings.HALL_TIER = "township"
    at_site("t-maan")
    client.force_login(staff(halls["t-maan"], Role.CLERK))
    page = client.get("/jiancha/yujing/").content.decode()
    assert "t-maan-20261110-0001" in page and "t-maan-20261109-0001" not in page
    client.force_login(staff(halls["t-huangtan"], Role.CLERK))  # another hall's staff here
    assert client.get("/jiancha/yujing/").status_code == 403
    client.logout()
    assert client.get("/jiancha/yujing/").status_code == 302


def test_lights_and_orders_lists_keep_their_query_count(supervisor, client):
    from datetime import date

    from county.supervision.orders import order_issue

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    alerts_tick(today=date(2026, 11, 18))  # one light
    order_issue(case_number="t-maan-20261110-0001", by=supervisor, reason="催办")
    few = count("/jiancha/yujing/"), count("/jiancha/duban/")
    alerts_tick(today=date(2026, 11, 25))  # four lights
    for _ in range(4):
        order_issue(case_number="t-maan-20261109-0001", by=supervisor, reason="催办")
    assert (count("/jiancha/yujing/"), count("/jiancha/duban/")) == few

"""Seed 000 第二十五条(三): 「年超期办件3件以上或同一行政审批事项超过3天以上的」 取消评优资格,
for windows, shown on the ranking with the reason."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from county.assessment import selectors as s
from county.assessment.services import points_record, window_ref
from county.readmodel.models import CaseRecord

BEIJING = ZoneInfo("Asia/Shanghai")


def late_case(number: str, *, site: str, deadline: date, concluded: date | None):
    """A case of 最低生活保障 (mzj-002, 民政局) as the county's read model knows it."""
    return CaseRecord.objects.create(
        number=number,
        status="concluded" if concluded else "accepted",
        owner_site=site,
        origin_site=site,
        decided_site=site,
        item_code="mzj-002",
        item_name="最低生活保障审批",
        item_version=1,
        handling_type="promised",
        legal_limit_days=20,
        promised_limit_days=10,
        submitted_at=datetime(2026, 10, 9, 9, tzinfo=BEIJING),
        accepted_at=datetime(2026, 10, 9, 9, tzinfo=BEIJING),
        concluded_at=datetime.combine(concluded, datetime.min.time(), BEIJING).replace(hour=15)
        if concluded
        else None,
        deadline=deadline,
        clock_state="running" if not concluded else "stopped",
    )


@pytest.fixture
def catalogue(tree):
    from county.catalogue.sample import catalogue_load_sample
    from tests.support.snapshot import layer

    layer("catalogue", catalogue_load_sample)
    return tree


@pytest.fixture
def two_windows(catalogue):
    maan = window_ref(site_code="t-maan", number="部门mzj", name="民政", department_code="mzj")
    county = window_ref(site_code="county", number="部门mzj", name="民政", department_code="mzj")
    for window, times in ((maan, 3), (county, 2)):  # 马鞍 106, 县 104: 马鞍 first
        for i in range(times):
            points_record(
                window=window,
                rule="written_thanks",
                source_type="county_entry",
                source_id=f"{window.site_code}-{i}",
                occurred_on=date(2026, 11, 10),
            )
    return maan, county


def test_a_case_three_days_over_its_deadline_takes_the_award_away(two_windows, client, settings):
    """By hand, November 2026: 马鞍镇's 民政 window scores 106, the county's 104. 马鞍镇's
    case T1 was due Mon 2 Nov and concluded Thu 5 Nov: 3 days over (「超过3天以上」, 以上
    includes 3) → 马鞍镇 loses the 优质服务窗口 and the reason is shown; the county's T2, due
    2 Nov and concluded Wed 4 Nov, is 2 days over → still eligible; it gets the place.
    Before issue 22: both 优质服务窗口 and no reason."""
    from permissions.roles import Role
    from tests.permissions.factories import staff

    maan, county = two_windows
    late_case("T1", site="t-maan", deadline=date(2026, 11, 2), concluded=date(2026, 11, 5))
    late_case("T2", site="county", deadline=date(2026, 11, 2), concluded=date(2026, 11, 4))
    rows = {r.subject.pk: r for r in s.month_quality_windows(year=2026, month=11)}
    assert rows[maan.pk].score == 106 and rows[maan.pk].rank == 1
    assert rows[maan.pk].award == ""
    assert rows[maan.pk].ineligible == [
        "办件T1(最低生活保障审批)超期3天(第二十五条(三)：同一行政审批事项超过3天以上)"
    ]
    assert rows[county.pk].award == "优质服务窗口" and rows[county.pk].ineligible == []
    # the quarter's red flag goes to the county, the year's grade is no 优秀/先进 for 马鞍镇
    quarter = {r.subject.pk: r for r in s.quarter_awards(year=2026, quarter=4)}
    assert quarter[maan.pk].award == "" and quarter[county.pk].award == "流动红旗"
    year = {r.subject.pk: r for r in s.annual_window_grades(year=2026)}
    assert year[maan.pk].grade == "合格"
    # shown on the ranking page with the reason
    settings.HALL_TIER = "county"
    client.force_login(staff(settings_site("county"), Role.COUNTY_SUPERVISOR))
    page = client.get("/kaohe/?year=2026&month=11").content.decode()
    assert "取消评优资格：办件T1(最低生活保障审批)超期3天" in page


def test_a_case_still_open_three_days_late_counts_and_the_days_are_a_rule(two_windows, db):
    """A case still running counts as soon as it is 3 days late; the county may set the
    days (`assessment.awards: ineligible_overdue_days`): at 4, T3 (3 days) no longer counts."""
    from county.rules.models import Rule

    maan, _ = two_windows
    late_case("T3", site="t-maan", deadline=date(2026, 11, 20), concluded=None)
    rows = {r.subject.pk: r for r in s.month_quality_windows(year=2026, month=11)}
    assert "超期10天" in rows[maan.pk].ineligible[0]  # 20 → 30 Nov, the month's last day
    value = {**s.rule_value(s.AWARDS.key), "ineligible_overdue_days": 11}
    Rule.objects.create(
        key=s.AWARDS.key, value=value, changed_at=datetime(2026, 11, 1, tzinfo=BEIJING)
    )
    rows = {r.subject.pk: r for r in s.month_quality_windows(year=2026, month=11)}
    assert rows[maan.pk].ineligible == [] and rows[maan.pk].award == "优质服务窗口"


def test_three_overdue_cases_in_a_year_take_the_window_grade_away(two_windows, db):
    """第二十五条(三) first half for windows: 3 超时 entries on 马鞍镇's window in 2026 (−15,
    91 → still 先进 by score) → 合格, reason shown. Before: only staff entries were counted,
    and 超时 entries name no person."""
    maan, _ = two_windows
    for i in range(3):
        points_record(
            window=maan,
            rule="case_overdue",
            source_type="case_event",
            source_id=f"OV{i}#1",
            occurred_on=date(2026, 6, 1),
        )
    year = {r.subject.pk: r for r in s.annual_window_grades(year=2026)}
    assert year[maan.pk].score == 91
    assert year[maan.pk].ineligible == ["年超期办件3件(第二十五条(三))"]
    assert year[maan.pk].grade == "合格"


def settings_site(code):
    from sites.registry.models import Site

    return Site.objects.get(code=code)

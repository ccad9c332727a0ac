"""Seed 000 第十七条(二): 「窗口工作人员违反本《办法》被扣5分的,扣该部门窗口2分,以此类推」,
computed by hand: a person's own points never count against the window at face value."""

from datetime import date

import pytest

from county.assessment import selectors as s
from county.assessment.services import points_record, points_reverse, staff_ref

NOV = s.month_range(2026, 11)


def scores():
    return {r.subject.number: r.score for r in s.window_standings(start=NOV[0], end=NOV[1])}


@pytest.mark.parametrize(
    ("lost", "window"),
    [
        ((2, 2), 100),  # 4 lost: under 5, nothing (before: 96)
        ((3, 2), 98),  # 5 lost: −2 (before: 95)
        ((3, 2, 5), 96),  # 10 lost: −4 (before: 90)
        ((5, 2, 2), 98),  # 9 lost: one full step, −2
    ],
)
def test_every_five_points_a_person_loses_cost_the_window_two(windows, record, db, lost, window):
    rules = {2: "late_or_absent", 3: "complaint_attitude", 5: "complaint_attitude_serious"}
    person = staff_ref(site_code="county", username="p1", name="甲", window=windows[0])
    for points in lost:
        record(1, rules[points], staff=person)
    assert scores()["1"] == window
    staff = {r.subject.username: r.score for r in s.staff_standings(start=NOV[0], end=NOV[1])}
    assert staff["p1"] == 100 - sum(lost)


def test_two_people_are_counted_each_on_their_own(windows, record, db):
    """4 + 4 lost by two people: neither reaches 5, the window keeps 100."""
    for name in ("p1", "p2"):
        person = staff_ref(site_code="county", username=name, name=name, window=windows[0])
        record(1, "late_or_absent", staff=person, times=2)
    assert scores()["1"] == 100


def test_a_reversed_deduction_no_longer_reaches_the_window(windows, record, db):
    person = staff_ref(site_code="county", username="p1", name="甲", window=windows[0])
    (entry,) = record(1, "complaint_attitude_serious", staff=person)
    assert scores()["1"] == 98
    points_reverse(entry=entry, reason="申诉成立", on=date(2026, 11, 20))
    assert scores()["1"] == 100


def test_every_county_window_is_ranked_from_the_day_it_opens(tree, windows, client, settings):
    """Issue 22: the county's own windows were missing from the ranking once any other
    window had points (copied only into an empty table, on GET). Now a window opened at the
    county is assessed at once, ranked at the base score, and reading the page writes none."""
    from county.assessment.models import AssessedWindow
    from permissions.roles import Role
    from sites.registry.models import Department
    from sites.registry.services import window_open
    from tests.permissions.factories import staff

    settings.HALL_TIER = "county"
    window_open(site=tree["county"], department=Department.objects.first(), number="21")
    rows = {r.subject.number: r.score for r in s.window_standings(start=NOV[0], end=NOV[1])}
    assert rows["21"] == 100 and len(rows) == 11  # the ten fixture windows and the new one
    count = AssessedWindow.objects.count()
    client.force_login(staff(tree["county"], Role.COUNTY_SUPERVISOR))
    assert client.get("/kaohe/?year=2026&month=11").status_code == 200
    assert AssessedWindow.objects.count() == count


def test_article_25_takes_the_award_away_with_the_reason(windows, record, db):
    """seed 000 第二十五条: (一) a breach of 第二十一条; (二) two upheld complaints within 22
    working days; (三) 3 overdue cases in a year — each person keeps the score but loses
    优秀/先进, the reason shown. Before issue 22 only two upheld complaints in a year (sent
    back) counted."""
    people = {
        n: staff_ref(site_code="county", username=n, name=n, window=windows[0])
        for n in ("clean", "rude", "twice", "late")
    }
    record(1, "written_thanks", staff=people["rude"], times=3)  # 106, the best score
    record(1, "complaint_attitude", staff=people["rude"])  # 103, but 第二十一条(一)
    for day in (date(2026, 3, 2), date(2026, 3, 20)):  # 14 working days apart
        points_record(
            window=windows[0],
            staff=people["twice"],
            rule="complaint_upheld",
            source_type="complaint",
            source_id=f"TS-{day}",
            occurred_on=day,
        )
    record(1, "case_overdue", staff=people["late"], times=3)
    rows = {r.subject.username: r for r in s.annual_staff_grades(year=2026)}
    assert rows["rude"].score == 103 and rows["rude"].grade == "合格"
    assert "第二十一条" in rows["rude"].ineligible[0]
    assert "22个工作日内两次投诉属实" in rows["twice"].ineligible[0]
    assert "年超期办件3件" in rows["late"].ineligible[0]
    assert rows["clean"].ineligible == [] and rows["clean"].grade in ("优秀", "先进")


def test_the_window_ledger_page_shows_the_rankings_score(tree, windows, record, client, settings):
    """Seed 000 第十七条(二) on the ledger page too: a clerk losing 3 + 2 = 5 points costs the
    window 2, so the page says 98 like the ranking (before: 95, the person's entries summed
    at face value), and says why."""
    from permissions.roles import Role
    from tests.permissions.factories import staff

    settings.HALL_TIER = "county"
    person = staff_ref(site_code="county", username="p1", name="甲", window=windows[0])
    record(1, "complaint_attitude", staff=person)
    record(1, "late_or_absent", staff=person)
    assert scores()["1"] == 98
    client.force_login(staff(tree["county"], Role.COUNTY_SUPERVISOR))
    page = client.get(f"/kaohe/chuangkou/{windows[0].pk}/?year=2026&month=11").content.decode()
    assert "得分：<strong>98</strong>" in page
    assert "工作人员扣分折算窗口 -2 分" in page

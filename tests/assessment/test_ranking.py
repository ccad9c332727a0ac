"""A month of fixture activity, scored by hand from the seeds' rules (seed 000, 002, 004):
base 100; +5 承诺件改即办, +5 压缩时限, +2 书面感谢; −10 差评经查证属实 and −10 投诉属实
(第十三条(六)), −4 投诉逾期每天, −5 事项未进驻, −5 日检查不整洁; a person's own points
(−2 差评属本人责任, −3 态度投诉, −2 迟到) reach the window only as −2 per 5 lost
(第十七条(二)). Ties: score, then fewer points deducted, then fewer upheld complaints;
equals share a rank and a quota is never exceeded."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from county.assessment import selectors as s
from county.assessment.models import Award, PointEntry
from county.assessment.services import (
    awards_publish,
    inspection_record,
    points_record,
    points_reverse,
    staff_ref,
)

NOV = s.month_range(2026, 11)
AT_NOV_10 = datetime(2026, 11, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def month(windows, record):
    record(1, "promised_to_instant")  # 100 + 5 + 2 = 107
    record(1, "written_thanks")
    record(2, "limit_compressed")  # 105
    # 3: nothing                                          100
    # 4: a bad rating verified as upheld (−10) and the clerk's fault (−2 to the clerk,
    # under 5: nothing to the window): 90 (before issue 22: −2 at once, 98)
    record(4, "dissatisfied_upheld")
    record(4, "dissatisfied", staff=staff_ref(site_code="county", username="s4", name="四"))
    record(5, "written_thanks")  # 100 + 2 − 10 = 92 (before: −2 unverified, 100)
    record(5, "dissatisfied_upheld")
    points_record(  # 90, one upheld complaint
        window=windows[5],
        rule="complaint_upheld",
        source_type="complaint",
        source_id="TS-1",
        occurred_on=date(2026, 11, 12),
    )
    # ... its clerk: −3 (attitude) and −2 (late) = 5 lost: the window −2 → 88
    clerk6 = staff_ref(site_code="county", username="s6", name="六", window=windows[5])
    record(6, "complaint_attitude", staff=clerk6)
    record(6, "late_or_absent", staff=clerk6)
    record(7, "complaint_overdue_day", times=3)  # 100 − 12 = 88
    inspection_record(  # 95
        window=windows[7], finding="untidy", inspector="督查室", at=AT_NOV_10
    )
    record(9, "item_not_in_hall")  # 95: equal to window 8 in every respect
    record(10, "item_not_in_hall", times=2)  # 90 like window 6, but no upheld complaint
    record(3, "written_thanks", day=date(2026, 10, 31))  # October: not in November


def table(rows):
    return [(r.subject.number, r.score, r.rank) for r in rows]


def test_the_month_ranks_as_computed_by_hand(month, db):
    rows = s.window_standings(start=NOV[0], end=NOV[1])
    assert table(rows) == [
        ("1", 107, 1),
        ("2", 105, 2),
        ("3", 100, 3),
        ("8", 95, 4),  # 8 and 9 equal: they share the fourth place
        ("9", 95, 4),
        ("5", 92, 6),
        ("10", 90, 7),  # 10 and 4: 90, 10 deducted, no upheld complaint: equal
        ("4", 90, 7),
        ("7", 88, 9),  # 12 deducted, no upheld complaint
        ("6", 88, 10),  # 10 + 2 (its clerk's 5 points) deducted, one upheld complaint
    ]


def test_the_quarter_gives_one_red_flag_and_two_excellent_windows(month, db):
    rows = s.quarter_awards(year=2026, quarter=4)
    awards = {r.subject.number: r.award for r in rows if r.award}
    # October's +2 for window 3 counts in the quarter: 102, still third
    assert awards == {"1": "流动红旗", "2": "优秀窗口", "3": "优秀窗口"}


def test_at_most_five_quality_windows_a_month_the_best_by_score(month, db):
    """seed 004: at most 5 优质服务窗口 a month, the best by score, no minimum: 1 2 3 and
    the tie 8 9 at places 4–5 (before: a minimum of 100 kept 8 and 9 out)."""
    rows = s.month_quality_windows(year=2026, month=11)
    assert [r.subject.number for r in rows if r.award] == ["1", "2", "3", "8", "9"]


def test_a_tie_straddling_the_fifth_place_takes_none_of_it(windows, record, db):
    for no, times in ((1, 4), (2, 3), (3, 2), (4, 1)):
        record(no, "written_thanks", times=times)  # 108, 106, 104, 102
    # 5..10 stay at 100, all equal: a group of six at rank 5 straddles the fifth place
    rows = s.month_quality_windows(year=2026, month=11)
    quality = [r.subject.number for r in rows if r.award]
    assert quality == ["1", "2", "3", "4"]
    assert len(quality) <= 5


def test_annual_grades_keep_the_ten_percent_quota(month, db):
    rows = s.annual_window_grades(year=2026)
    grades = {r.subject.number: r.grade for r in rows}
    # ten windows: one 优秀 place; 先进 from 95, 合格 from 80 (county defaults)
    assert grades == {
        "1": "优秀",
        "2": "先进",
        "3": "先进",
        "8": "先进",
        "9": "先进",
        "5": "合格",
        "4": "合格",
        "10": "合格",
        "6": "合格",
        "7": "合格",
    }


def test_two_equal_firsts_with_one_excellent_place_leave_it_empty(windows, record, db):
    record(1, "written_thanks")
    record(2, "written_thanks")
    rows = s.annual_window_grades(year=2026)
    assert [r.grade for r in rows].count("优秀") == 0  # the quota is a ceiling
    assert {r.subject.number: r.grade for r in rows[:2]} == {"1": "先进", "2": "先进"}
    quarter = s.quarter_awards(year=2026, quarter=4)
    # no sole first: no red flag; both fit in three places: 优秀窗口
    assert [(r.subject.number, r.award) for r in quarter if r.award] == [
        ("1", "优秀窗口"),
        ("2", "优秀窗口"),
    ]


def test_staff_quota_and_two_upheld_complaints_send_back(windows, db):
    people = [
        staff_ref(site_code="county", username=f"p{i}", name=f"人{i}", window=windows[0])
        for i in range(1, 8)
    ]  # seven staff: 15% is one
    day = date(2026, 6, 1)
    for person, thanks in zip(people[:3], (3, 2, 1), strict=True):
        for k in range(thanks):
            points_record(
                window=windows[0],
                staff=person,
                rule="written_thanks",
                source_type="county_entry",
                source_id=f"{person.username}-{k}",
                occurred_on=day,
            )
    for k in range(2):
        points_record(
            window=windows[0],
            staff=people[6],
            rule="complaint_upheld",
            source_type="complaint",
            source_id=f"TS-{k}",
            occurred_on=day,
        )
    rows = s.annual_staff_grades(year=2026)
    grades = {r.subject.username: r.grade for r in rows}
    assert [u for u, g in grades.items() if g == "优秀"] == ["p1"]
    assert grades["p7"] == "不合格"
    assert next(r for r in rows if r.subject.username == "p7").notes


def test_a_reversal_cancels_the_deduction_in_its_period(month, windows, db):
    entry = PointEntry.objects.get(window=windows[3], rule="dissatisfied_upheld")
    points_reverse(entry=entry, reason="申诉复核：恶意差评")
    rows = {r.subject.number: r.score for r in s.window_standings(start=NOV[0], end=NOV[1])}
    assert rows["4"] == 100
    assert points_reverse(entry=entry, reason="again") == entry.reversed_by  # once


def test_a_repeated_source_records_once(windows, db):
    for _ in range(3):
        points_record(
            window=windows[0],
            rule="dissatisfied",
            source_type="rating",
            source_id="N-1",
            occurred_on=date(2026, 11, 3),
        )
    assert PointEntry.objects.count() == 1


def test_a_county_edit_of_the_points_is_used_and_traced(windows, db):
    from county.rules.services import rule_set

    rule_set(key="assessment.points", value={"dissatisfied": -3}, by=None)
    entry = points_record(
        window=windows[0],
        rule="dissatisfied",
        source_type="rating",
        source_id="N-2",
        occurred_on=date(2026, 11, 3),
    )
    assert entry.points == -3 and entry.rule_revision == 1


def test_the_red_flag_adds_the_bonus_to_its_staff_not_to_the_window(month, windows, db):
    person = staff_ref(site_code="county", username="w1", name="王一", window=windows[0])
    rows = [r for r in s.quarter_awards(year=2026, quarter=4) if r.award == "流动红旗"]
    awards_publish(rows=rows, kind="red_flag", period="2026-Q4", on=date(2026, 12, 28))
    awards_publish(rows=rows, kind="red_flag", period="2026-Q4", on=date(2026, 12, 28))
    assert Award.objects.count() == 1
    staff = {
        r.subject.username: r.score for r in s.staff_standings(start=NOV[0], end=date(2027, 1, 1))
    }
    assert staff["w1"] == 102
    window_rows = s.window_standings(start=NOV[0], end=date(2027, 1, 1))
    assert window_rows[0].score == 107 and person.points.count() == 1


def test_an_overdue_case_event_costs_its_window_once(db, settings):
    from types import SimpleNamespace

    from county.assessment.appliers import case_event_points

    payload = {
        "number": "t-maan-20261102-0001",
        "seq": 4,
        "type": "overdue",
        "at": "2026-11-20T01:00:00+00:00",
        "site": "t-maan",
        "case": {"owner_site": "t-maan", "item_code": "nope"},
    }
    envelope = SimpleNamespace(payload=payload, origin="t-maan")
    case_event_points(envelope)
    case_event_points(envelope)
    entry = PointEntry.objects.get()
    assert (entry.points, entry.window.site_code, entry.source_id) == (
        -5,
        "t-maan",
        "t-maan-20261102-0001#4",
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("assessment.points", {"dissatisfied": 2}),  # a deduction typed as a reward
        ("assessment.points", {"written_thanks": -2}),
        ("assessment.awards", {"excellent_window_share": 10}),  # 10 meant 10%
        ("assessment.awards", {"qualified_min_score": 99}),  # above 先进's 95
    ],
)
def test_a_wrong_sign_or_share_is_refused(db, key, value):
    from django.core.exceptions import ValidationError

    from county.rules.services import rule_set

    with pytest.raises(ValidationError):
        rule_set(key=key, value=value, by=None)


def test_a_department_scope_overrides_the_county_value(windows, db):
    from county.rules.services import rule_set

    rule_set(key="assessment.points", value={"untidy": -3}, by=None, scope="department:d2")
    one = inspection_record(window=windows[0], finding="untidy", inspector="督查室", at=AT_NOV_10)
    two = inspection_record(window=windows[1], finding="untidy", inspector="督查室", at=AT_NOV_10)
    points = {e.window.number: e.points for e in PointEntry.objects.all()}
    assert points == {"1": -5, "2": -3} and one.pk != two.pk

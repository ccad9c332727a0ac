"""Reads of the assessment: scores per period, rankings, awards and annual grades.

Score of a window or a staff member for a period = the rule's base + the sum of the point
entries dated in the period (a reversal cancels its entry in the same period). A window's
score counts every entry naming the window except those meant for staff only (the red-flag
bonus); a staff member's counts the entries naming them.

Ranking and ties (the written rule, also in docs/decisions/0015):
 1. the higher score ranks first;
 2. on equal score, the fewer points deducted (the sum of negative entries) ranks first —
    the same score reached with fewer lapses is the better record;
 3. on equal score and deductions, the fewer upheld complaints ranks first;
 4. still equal: they share the rank (competition ranking 1, 2, 2, 4) and are listed by
    site code and window number (or name), which decides nothing.
An award or grade with N places goes to every group of equals that fits wholly within the N
places; a group that straddles the boundary gets none of them (a quota is a ceiling, never
exceeded). So the single 流动红旗 goes only to a sole first; two equal firsts both get
优秀窗口 if they fit in the places of the red flag and the 优秀窗口 together.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from django.db.models import Count, Q, Sum

from county.assessment.eligibility import window_ineligible
from county.assessment.models import AssessedStaff, AssessedWindow, PointEntry
from county.assessment.rules import AWARDS, POINTS
from county.rules.selectors import rule_value
from county.workdays.selectors import calendar_current

STAFF_ONLY_RULES = ("red_flag_staff_bonus",)
# An upheld complaint: against the window (第十三条(六)) or the person (第二十一条(一)).
UPHELD_RULES = ("complaint_upheld", "complaint_attitude", "complaint_attitude_serious")
GRADES = ("优秀", "先进", "合格", "不合格")


@dataclass
class Standing:
    subject: object  # AssessedWindow or AssessedStaff
    score: int
    deducted: int  # points lost, as a positive number
    added: int
    upheld: int  # upheld complaints in the period
    rank: int = 0
    award: str = ""
    grade: str = ""
    notes: list[str] = field(default_factory=list)
    # 取消评优资格 (seed 000 第二十五条): no 优秀 or 先进, whatever the score; the reasons.
    ineligible: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (-self.score, self.deducted, self.upheld)

    @property
    def label(self) -> str:
        return str(self.subject)


def month_range(year: int, month: int) -> tuple[date, date]:
    end = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), end


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, end


def year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year + 1, 1, 1)


def _sums(entries, group: str) -> dict[int, dict]:
    rows = entries.values(group).annotate(
        total=Sum("points"),
        lost=Sum("points", filter=Q(points__lt=0)),
        gained=Sum("points", filter=Q(points__gt=0)),
        upheld=Count(
            "id",
            filter=Q(rule__in=UPHELD_RULES, reversed_by__isnull=True, source_type="complaint"),
        ),
    )
    return {r[group]: r for r in rows}


def _rank(rows: list[Standing]) -> list[Standing]:
    def order(s: Standing):
        sub = s.subject
        return (*s.key, getattr(sub, "site_code", ""), getattr(sub, "number", ""), sub.pk)

    rows.sort(key=order)
    for i, row in enumerate(rows):
        same = i and rows[i - 1].key == row.key
        row.rank = rows[i - 1].rank if same else i + 1
    return rows


def staff_loss_charges(entries, rule: dict) -> dict[int, int]:
    """Seed 000 第十七条(二): 「窗口工作人员违反本《办法》被扣5分的,扣该部门窗口2分,以此类推」:
    per window, each person's points lost in the period, every full step (5) costing the
    window 2; the person's own entries do not count against the window at face value."""
    step, charge = int(rule["staff_loss_step"]), int(rule["staff_loss_window"])
    lost = (
        entries.filter(staff__isnull=False, points__lt=0, reversed_by__isnull=True)
        .values("window_id", "staff_id")
        .annotate(lost=Sum("points"))
    )
    out: dict[int, int] = {}
    for row in lost:
        times = (-row["lost"]) // step
        out[row["window_id"]] = out.get(row["window_id"], 0) + times * charge
    return out


def window_standings(*, start: date, end: date) -> list[Standing]:
    """Every known window's score over [start, end), ranked (the written tie rule): its own
    entries plus the charge for its staff's losses (seed 000 第十七条(二))."""
    rule = rule_value(POINTS.key)
    base = int(rule["base"])
    period = PointEntry.objects.filter(occurred_on__gte=start, occurred_on__lt=end)
    sums = _sums(period.filter(staff__isnull=True).exclude(rule__in=STAFF_ONLY_RULES), "window_id")
    charges = staff_loss_charges(period, rule)
    rows = []
    for w in AssessedWindow.objects.all():
        s = dict(sums.get(w.pk, {}))
        charge = charges.get(w.pk, 0)
        s["total"] = (s.get("total") or 0) + charge
        s["lost"] = (s.get("lost") or 0) + charge
        rows.append(_standing(w, base, s))
    return _rank(rows)


def staff_standings(*, start: date, end: date) -> list[Standing]:
    base = int(rule_value(POINTS.key)["base"])
    entries = PointEntry.objects.filter(
        occurred_on__gte=start, occurred_on__lt=end, staff__isnull=False
    )
    sums = _sums(entries, "staff_id")
    rows = [
        _standing(p, base, sums.get(p.pk, {}))
        for p in AssessedStaff.objects.select_related("window")
    ]
    return _rank(rows)


def _standing(subject, base: int, s: dict) -> Standing:
    return Standing(
        subject=subject,
        score=base + (s.get("total") or 0),
        deducted=-(s.get("lost") or 0),
        added=s.get("gained") or 0,
        upheld=s.get("upheld") or 0,
    )


def places(rows: list[Standing], n: int, *, start_rank: int = 1) -> list[Standing]:
    """The rows whose group of equals fits wholly within places start_rank..n."""
    size: dict[int, int] = {}
    for r in rows:
        size[r.rank] = size.get(r.rank, 0) + 1
    return [r for r in rows if r.rank >= start_rank and r.rank + size[r.rank] - 1 <= n]


def eligible_places(rows: list[Standing], n: int) -> list[Standing]:
    """`places` among the eligible only (第二十五条: an ineligible window takes no place);
    the rows keep their ranks by score."""
    eligible = [r for r in rows if not r.ineligible]
    if len(eligible) == len(rows):
        return places(rows, n)
    _rank(eligible)
    chosen = places(eligible, n)
    _rank(rows)
    return chosen


def _windows_ineligible(rows: list[Standing], start: date, end: date, rule: dict, year: bool):
    reasons = window_ineligible(start=start, end=end, rule=rule, year_count=year)
    for r in rows:
        r.ineligible = reasons.get(r.subject.pk, [])
    return rows


def quarter_awards(*, year: int, quarter: int) -> list[Standing]:
    """流动红旗 (红旗窗口) to the first, 优秀窗口 to the second and third (seed 002), among
    the windows not disqualified by 第二十五条(三) in the quarter."""
    rule = rule_value(AWARDS.key)
    start, end = quarter_range(year, quarter)
    rows = _windows_ineligible(window_standings(start=start, end=end), start, end, rule, False)
    flags = int(rule["red_flags"])
    for r in eligible_places(rows, flags):
        r.award = "流动红旗"
    for r in eligible_places(rows, flags + int(rule["excellent_windows"])):
        r.award = r.award or "优秀窗口"
    return rows


def month_quality_windows(*, year: int, month: int) -> list[Standing]:
    """At most N 优质服务窗口 a month (seed 004): the best by score, no minimum (the seed
    sets none), among the windows not disqualified by 第二十五条(三) in the month."""
    rule = rule_value(AWARDS.key)
    start, end = month_range(year, month)
    rows = _windows_ineligible(window_standings(start=start, end=end), start, end, rule, False)
    for r in eligible_places(rows, int(rule["quality_windows_max"])):
        r.award = "优质服务窗口"
    return rows


def excellent_quota(count: int, share: float) -> int:
    """At most `share` of `count`, rounded down (10% of 28 windows is 2)."""
    return math.floor(count * share + 1e-9)


def _grade(rows: list[Standing], share: float, rule: dict) -> list[Standing]:
    quota = excellent_quota(len(rows), share)
    eligible = [
        r
        for r in rows
        if r.score >= int(rule["advanced_min_score"]) and not r.notes and not r.ineligible
    ]
    # ranks among the eligible only: an ineligible subject takes no place
    _rank(eligible)
    best = {id(r) for r in places(eligible, quota)}
    for r in rows:
        if id(r) in best:
            r.grade = "优秀"
        elif r.notes:
            r.grade = "不合格"
        elif r.score >= int(rule["advanced_min_score"]) and not r.ineligible:
            r.grade = "先进"
        elif r.score >= int(rule["qualified_min_score"]):
            r.grade = "合格"
        else:
            r.grade = "不合格"
    _rank(rows)
    return rows


def annual_window_grades(*, year: int) -> list[Standing]:
    rule = rule_value(AWARDS.key)
    start, end = year_range(year)
    rows = _windows_ineligible(window_standings(start=start, end=end), start, end, rule, True)
    return _grade(rows, float(rule["excellent_window_share"]), rule)


def annual_staff_grades(*, year: int) -> list[Standing]:
    """Staff: ≤ 15% 优秀; two upheld complaints in the year: 不合格 and sent back."""
    rule = rule_value(AWARDS.key)
    rows = staff_standings(start=year_range(year)[0], end=year_range(year)[1])
    limit = int(rule["upheld_complaints_sent_back"])
    reasons = award_ineligible(start=year_range(year)[0], end=year_range(year)[1], rule=rule)
    for r in rows:
        if r.upheld >= limit or r.subject.sent_back:
            r.notes.append(f"一年内投诉属实{r.upheld}次，退回原单位")
        r.ineligible = reasons.get(r.subject.pk, [])
    return _grade(rows, float(rule["excellent_staff_share"]), rule)


# seed 000 第二十一条: the person's own breaches (态度投诉, 不满意属本人责任, 中介).
ARTICLE_21 = ("complaint_attitude", "complaint_attitude_serious", "dissatisfied", "intermediary")


def award_ineligible(*, start: date, end: date, rule: dict) -> dict[int, list[str]]:
    """取消评优资格 (seed 000 第二十五条), per person, with the reasons: (一) a breach of
    第二十一条; (二) two upheld complaints within 22 working days; (三) 3 or more overdue
    cases in the year."""
    entries = PointEntry.objects.filter(
        occurred_on__gte=start,
        occurred_on__lt=end,
        staff__isnull=False,
        reversed_by__isnull=True,
        points__lt=0,
    ).order_by("occurred_on", "id")
    calendar = calendar_current()
    days = int(rule["ineligible_complaint_days"])
    out: dict[int, list[str]] = {}
    breaches: dict[int, int] = {}
    complaints: dict[int, list[date]] = {}
    overdue: dict[int, int] = {}
    for e in entries.only("staff_id", "rule", "occurred_on", "source_type"):
        if e.rule in ARTICLE_21:
            breaches[e.staff_id] = breaches.get(e.staff_id, 0) + 1
        if e.rule in UPHELD_RULES and e.source_type == "complaint":
            complaints.setdefault(e.staff_id, []).append(e.occurred_on)
        if e.rule == "case_overdue":
            overdue[e.staff_id] = overdue.get(e.staff_id, 0) + 1
    for pk, n in breaches.items():
        out.setdefault(pk, []).append(f"违反第二十一条{n}次(第二十五条(一))")
    for pk, dates in complaints.items():
        close = any(calendar.working_days_between(a, b).days <= days for a, b in pairwise(dates))
        if close:
            out.setdefault(pk, []).append(f"{days}个工作日内两次投诉属实(第二十五条(二))")
    for pk, n in overdue.items():
        if n >= int(rule["ineligible_overdue_cases"]):
            out.setdefault(pk, []).append(f"年超期办件{n}件(第二十五条(三))")
    return out


def window_ledger(*, window: AssessedWindow, start: date, end: date):
    """The entries behind a window's score, each with its source."""
    return (
        PointEntry.objects.filter(window=window, occurred_on__gte=start, occurred_on__lt=end)
        .select_related("staff")
        .order_by("occurred_on", "id")
    )

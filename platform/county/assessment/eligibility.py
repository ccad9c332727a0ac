"""取消评优资格 of a window (seed 000 第二十五条(三)), with the reasons shown on the ranking:
「年超期办件3件以上或同一行政审批事项超过3天以上的」.

- the first half: 3 or more overdue cases (超时 entries, `case_overdue`) of the window in
  the year (annual grades only: the article counts a year);
- the second half: one case of an approval item past its deadline by 3 days or more
  (「超过3天以上」; 「以上」 includes the number, 民法典 第一千二百五十九条; natural days,
  as the article says 天 where its (二) says 工作日), concluded so late in the period or
  still open that long: its hall's windows of the item's department lose the award.

The county knows every case from its read model (county.readmodel: deadline, conclusion,
the hall that decides); the window is the (hall, department) pair the 超时 points go to.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from county.assessment.models import AssessedWindow, PointEntry
from county.catalogue.models import Item
from county.readmodel.models import CaseRecord


def _days_over(record: CaseRecord, last: date) -> int:
    """Natural days past the deadline: to the conclusion, or to `last` while it runs."""
    ended = timezone.localdate(record.concluded_at) if record.concluded_at else last
    return (ended - record.deadline).days


def cases_late_by(*, start: date, end: date, days: int, today: date | None = None) -> list[dict]:
    """Cases at least `days` past their deadline within [start, end): concluded in the
    period that late, or still open and that late by the period's end (or today)."""
    today = today or timezone.localdate()
    last = min(end - timedelta(days=1), today)
    reached = Q(deadline__lte=last - timedelta(days=days))
    concluded = Q(concluded_at__date__gte=start, concluded_at__date__lt=end)
    still_open = Q(concluded_at__isnull=True, status="accepted")  # its clock runs
    rows = CaseRecord.objects.filter(reached, deadline__isnull=False).filter(concluded | still_open)
    departments = dict(Item.objects.values_list("code", "department__code"))
    out = []
    for r in rows.order_by("number"):
        over = _days_over(r, last)
        if over < days:
            continue
        out.append(
            {
                "number": r.number,
                "site": r.decided_site or r.owner_site,
                "department": departments.get(r.item_code, ""),
                "item_name": r.item_name,
                "days": over,
            }
        )
    return out


def window_ineligible(
    *, start: date, end: date, rule: dict, year_count: bool, today: date | None = None
) -> dict[int, list[str]]:
    """Per assessed window, the 第二十五条(三) reasons in [start, end). `year_count`: also
    the first half (3 overdue cases in the year), for the annual grades."""
    out: dict[int, list[str]] = {}
    days = int(rule["ineligible_overdue_days"])
    windows = list(AssessedWindow.objects.all())
    for case in cases_late_by(start=start, end=end, days=days, today=today):
        for w in windows:
            if w.site_code == case["site"] and w.department_code == case["department"]:
                out.setdefault(w.pk, []).append(
                    f"办件{case['number']}({case['item_name']})超期{case['days']}天"
                    f"(第二十五条(三)：同一行政审批事项超过{days}天以上)"
                )
    if year_count:
        limit = int(rule["ineligible_overdue_cases"])
        counts = (
            PointEntry.objects.filter(
                occurred_on__gte=start,
                occurred_on__lt=end,
                rule="case_overdue",
                staff__isnull=True,
                reversed_by__isnull=True,
            )
            .values("window_id")
            .annotate(n=Count("id"))
        )
        for row in counts:
            if row["n"] >= limit:
                out.setdefault(row["window_id"], []).append(
                    f"年超期办件{row['n']}件(第二十五条(三))"
                )
    return out

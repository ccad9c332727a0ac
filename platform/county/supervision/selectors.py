"""Reads of the county's figures, alerts and orders (all from rolled-up rows: no scan).

Periods: a day, a month, a quarter or a year (`period_range`); any range of whole months
reads the month rows, anything else the day rows. Rates are derived from sums when read.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from county.catalogue.models import ItemVersion
from county.supervision.four_rates import attach as four_rates_attach
from county.supervision.models import (
    COUNTERS,
    Alert,
    Grain,
    OrderState,
    StatRow,
    SupervisionOrder,
)
from sites.registry.models import Department, Site

PERIOD_KINDS = {"day": "日", "month": "月", "quarter": "季度", "year": "年"}
GROUPS = {
    "site": "site_code",
    "department": "department_code",
    "item": "item_code",
    "month": "month",
    "day": "day",
}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        s = self.start
        if self.kind == "day":
            return f"{s.year}年{s.month}月{s.day}日"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        if self.kind == "year":
            return f"{s.year}年"
        return f"{s.isoformat()} 至 {self.end.isoformat()}"

    @property
    def whole_months(self) -> bool:
        last = _calendar.monthrange(self.end.year, self.end.month)[1]
        return self.start.day == 1 and self.end.day == last


def period_range(*, kind: str, on: date) -> Period:
    """The day, month, quarter or year containing `on`."""
    if kind == "day":
        return Period(kind, on, on)
    if kind == "month":
        start = on.replace(day=1)
    elif kind == "quarter":
        start = date(on.year, (on.month - 1) // 3 * 3 + 1, 1)
    elif kind == "year":
        start = date(on.year, 1, 1)
    else:
        raise ValueError(f"unknown period kind {kind!r}")
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    end_month = start.month + months - 1
    end = date(start.year, end_month, _calendar.monthrange(start.year, end_month)[1])
    return Period(kind, start, end)


def period_parse(*, kind: str | None, value: str | None, today: date) -> Period:
    """'2026-11' (month), '2026-11-03' (day), '2026-Q4' (quarter), '2026' (year)."""
    kind = kind or "month"
    if kind not in PERIOD_KINDS:
        raise ValueError("统计周期应为 日、月、季度 或 年")
    value = (value or "").strip()
    try:
        if not value:
            on = today
        elif kind == "day":
            on = date.fromisoformat(value)
        elif kind == "month":
            y, m = value.split("-")[:2]
            on = date(int(y), int(m), 1)
        elif kind == "quarter":
            y, _, q = value.upper().partition("-Q")
            on = date(int(y), (int(q) - 1) * 3 + 1, 1)
        else:
            on = date(int(value[:4]), 1, 1)
    except (ValueError, TypeError):
        raise ValueError(f"无法识别的统计期：{value}") from None
    return period_range(kind=kind, on=on)


def months_back(*, until: date, months: int) -> Period:
    """The `months` whole months ending with the month of `until` (a trend)."""
    end = period_range(kind="month", on=until).end
    y, m = until.year, until.month - months + 1
    while m < 1:
        y, m = y - 1, m + 12
    return Period("range", date(y, m, 1), end)


def subtree_codes(*, code: str) -> list[str] | None:
    """The site and every site below it; None for the root (no filter needed)."""
    path = Site.objects.filter(code=code).values("path")[:1]
    rows = list(
        Site.objects.filter(path__startswith=Subquery(path)).values_list("code", "parent_id")
    )  # one query
    if any(parent is None for _, parent in rows):
        return None
    return [c for c, _ in rows]


def _rows(
    period: Period,
    *,
    sites: list[str] | None = None,
    department: str | None = None,
    item: str | None = None,
    by: str | None = None,
) -> QuerySet[StatRow]:
    grain = Grain.MONTH if period.whole_months and by != "day" else Grain.DAY
    if grain == Grain.MONTH and not department and not item and by in (None, "site", "month"):
        grain = Grain.HALL_MONTH  # one row per hall and month: a fraction of the rows
    qs = StatRow.objects.filter(grain=grain, day__gte=period.start, day__lte=period.end)
    if sites is not None:
        qs = qs.filter(site_code__in=sites)
    if department:
        qs = qs.filter(department_code=department)
    if item:
        qs = qs.filter(item_code=item)
    return qs


def _ratio(part, whole, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


def derive(sums: dict) -> dict:
    """The report's figures from the summed counters."""
    s = {c: (sums.get(c) or 0) for c in COUNTERS}
    return {
        "received": int(s["received"]),
        "accepted": int(s["accepted"]),
        "concluded": int(s["concluded"]),
        "same_day": int(s["same_day"]),
        "on_time": int(s["on_time"]),
        "overdue": int(s["overdue"]),
        "deemed": int(s["deemed"]),
        "supplements": int(s["supplements"]),
        "supplements_returned": int(s["supplements_returned"]),
        "supplement_return_rate": _ratio(s["supplements_returned"], s["supplements"]),
        "rated": int(s["rated"]),
        "rating_rate": _ratio(s["rated"], s["concluded"]),
        "satisfaction_rate": _ratio(s["satisfied"], s["rated"]),
        # Of the cases accepted in the period, the share concluded (a cohort: ≤ 100%).
        "completion_rate": _ratio(s["settled"], s["accepted"]),
        "same_day_rate": _ratio(s["same_day"], s["concluded"]),
        "on_time_rate": _ratio(s["on_time"], s["concluded"]),
        "avg_accept_days": _ratio(s["accept_days"], s["accepted"], 2),
        "avg_handle_days": _ratio(s["handle_days"], s["concluded"], 2),
        "promised_speedup_rate": _ratio(s["promised_speedup"], s["limit_cases"]),
        "actual_speedup_rate": _ratio(s["actual_speedup"], s["limit_cases"]),
    }


_SUMS = {c: Sum(c) for c in COUNTERS}


def figures(
    *,
    period: Period,
    sites: list[str] | None = None,
    department: str | None = None,
    item: str | None = None,
    by: str | None = None,
) -> dict | list[dict]:
    """The figures of a period for a set of halls (None: all), optionally one department or
    item; with `by` ("site", "department", "item", "month", "day") one row per group."""
    qs = _rows(period, sites=sites, department=department, item=item, by=by)
    narrow = {"department": department, "item": item}
    if by is None:
        total = derive(qs.aggregate(**_SUMS))
        four_rates_attach(total=total, rows=[], end=period.end, sites=sites, by=None, **narrow)
        return total
    rows = [{"key": key, **derive(sums)} for key, sums in _grouped(qs, by)]
    four_rates_attach(total={}, rows=rows, end=period.end, sites=sites, by=by, **narrow)
    return rows


def _grouped(qs: QuerySet, by: str) -> list[tuple[str, dict]]:
    if by not in GROUPS:
        raise ValueError(f"unknown grouping {by!r}")
    if by == "month":
        qs = qs.annotate(month=TruncMonth("day"))
    field = GROUPS[by]
    out = []
    for row in qs.values(field).annotate(**_SUMS).order_by(field):
        key = row.pop(field)
        out.append((key.isoformat() if isinstance(key, date) else key, row))
    return out


def figures_with_total(
    *, period: Period, sites: list[str] | None, by: str
) -> tuple[dict, list[dict]]:
    """The total and one row per group from one query (the groups partition the rows)."""
    groups = _grouped(_rows(period, sites=sites, by=by), by)
    total = derive({c: sum((sums[c] or 0) for _, sums in groups) for c in COUNTERS})
    rows = [{"key": key, **derive(sums)} for key, sums in groups]
    four_rates_attach(total=total, rows=rows, end=period.end, sites=sites, by=by)
    return total, rows


def trend(*, sites: list[str] | None, until: date, months: int = 12) -> list[dict]:
    """One row per month for the `months` months up to `until` (missing months as zero)."""
    period = months_back(until=until, months=months)
    qs = StatRow.objects.filter(grain=Grain.HALL_MONTH, day__gte=period.start, day__lte=period.end)
    if sites is not None:
        qs = qs.filter(site_code__in=sites)
    found = {r.pop("day"): r for r in qs.values("day").annotate(**_SUMS).order_by("day")}
    out, day = [], period.start
    while day <= period.end:
        out.append({"key": day.isoformat()[:7], **derive(found.get(day, {}))})
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    four_rates_attach(total={}, rows=out, end=period.end, sites=sites, by="month")
    return out


# ---------------------------------------------------------------- alerts and orders


def alert_list(*, sites: list[str] | None, level: str | None = None) -> QuerySet[Alert]:
    qs = Alert.objects.all()
    if sites is not None:
        qs = qs.filter(site_code__in=sites)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-fired_at", "-id")


def order_list(*, sites: list[str] | None, state: str | None = None) -> QuerySet:
    qs = SupervisionOrder.objects.all()
    if sites is not None:
        qs = qs.filter(site_code__in=sites)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-issued_at", "-id")


def orders_overdue(*, site: str, department: str | None, period: Period) -> int:
    """督办单逾期 for a window (department at a hall): orders due in `period` that were not
    answered by their due day (answered late, or still open after it). For assessment."""
    qs = SupervisionOrder.objects.filter(
        is_copy=False, site_code=site, due__gte=period.start, due__lte=period.end
    ).filter(Q(overdue_at__isnull=False) | Q(state=OrderState.OPEN, due__lt=timezone.localdate()))
    if department:
        qs = qs.filter(department_code=department)
    return qs.count()


def names_for(by: str | None) -> dict[str, str]:
    """Chinese names of the group keys (sites, departments, items); one query."""
    if by == "site":
        return dict(Site.objects.values_list("code", "name"))
    if by == "department":
        return dict(Department.objects.values_list("code", "name"))
    if by == "item":
        versions = ItemVersion.objects.filter(number=F("item__current_version"))
        return {code: f"{code} {name}" for code, name in versions.values_list("item__code", "name")}
    return {}

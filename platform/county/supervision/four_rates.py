"""The 四率 of seed 000 (「使审批职能整合率、应进事项进厅率、窗口授权到位率、进厅事项办结率
“四率”达到90%以上」), from 「部门审批职能集中,审批办向大厅集中,事项进厅到位,授权窗口到位」.
The seed names them and their target; how each is counted is ours (decision 0024):

- 应进事项 of a hall on a day: the items it should handle — at the county every item of the
  catalogue, at a township or village each item delegated to it and not withdrawn;
- 进厅: the item's department has a window at that hall (the county's assessed windows,
  which every hall announces, county.assessment.announce);
- 应进事项进厅率 = 应进事项 in the hall / 应进事项 (per hall-and-item pair);
- 审批职能整合率 = (hall, department) pairs with a window / (hall, department) pairs that
  have 应进事项 (the department's approval work gathered into the hall's window);
- 窗口授权到位率 = of the items in the hall, those the window is authorised to decide there
  (the county, or a delegation 受理并办结) rather than only take in and forward;
- 进厅事项办结率 = the 办结率 of the cases accepted at the halls (every case here is handled
  at a hall's window), the cohort share concluded: the same figure as 办结率.

Each part is a subset of its whole, so no rate exceeds 100%. Structural rates are taken on
the last day of the period (or today, if earlier).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from county.assessment.models import AssessedWindow
from county.catalogue.models import Delegation, DelegationMode, Item
from county.rules.registry import rule_register
from sites.registry.models import Site, Tier


def _target_check(value: dict) -> None:
    if not 0 < value["target"] <= 1:
        raise ValidationError({"target": "目标应在0到1之间(如0.9表示90%)"})


TARGET = rule_register(
    key="supervision.four_rates",
    label="“四率”目标",
    default={"target": 0.9},
    labels={
        "target": "审批职能整合率、应进事项进厅率、窗口授权到位率、进厅事项办结率目标(0.9即90%)"
    },
    source="seed 000 二、一是：“四率”达到90%以上",
    check=_target_check,
)
RATES = ("integration_rate", "in_hall_rate", "authorised_rate", "hall_completion_rate")


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def hall_items(*, on: date, sites: list[str] | None) -> list[dict]:
    """(site, item, department, decides, in_hall) for every item each hall should handle."""

    end = timezone.make_aware(datetime.combine(on, time.max))
    halls = Site.objects.all() if sites is None else Site.objects.filter(code__in=sites)
    halls = list(halls.values_list("code", "tier"))
    windows = set(AssessedWindow.objects.values_list("site_code", "department_code"))
    items = dict(Item.objects.filter(current_version__gt=0).values_list("code", "department__code"))
    rows = []
    for code, tier in halls:
        if tier == Tier.COUNTY:
            for item, dept in items.items():
                rows.append((code, item, dept, True))
    lower = [code for code, tier in halls if tier != Tier.COUNTY]
    delegations = (
        Delegation.objects.filter(site__code__in=lower, granted_at__lte=end)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=end))
        .values_list("site__code", "item__code", "item__department__code", "mode")
    )
    for code, item, dept, mode in delegations:
        rows.append((code, item, dept, mode == DelegationMode.DECIDE))
    return [
        {
            "site": s,
            "item": i,
            "department": d,
            "decides": decides,
            "in_hall": (s, d) in windows,
        }
        for s, i, d, decides in rows
    ]


def rates_of(pairs: list[dict]) -> dict:
    inside = [p for p in pairs if p["in_hall"]]
    depts = {(p["site"], p["department"]) for p in pairs}
    gathered = {(p["site"], p["department"]) for p in inside}
    return {
        "items_due": len(pairs),
        "items_in_hall": len(inside),
        "in_hall_rate": _ratio(len(inside), len(pairs)),
        "integration_rate": _ratio(len(gathered), len(depts)),
        "authorised_rate": _ratio(sum(p["decides"] for p in inside), len(inside)),
    }


def _last_day(key: str, by: str | None, default: date) -> date:
    if by == "month" and key:
        y, m = int(key[:4]), int(key[5:7])
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return min(date.fromordinal(nxt.toordinal() - 1), default)
    if by == "day" and key:
        return min(date.fromisoformat(key[:10]), default)
    return default


def attach(
    *,
    total: dict,
    rows: list[dict],
    end: date,
    sites: list[str] | None,
    by: str | None,
    department: str | None = None,
    item: str | None = None,
) -> None:
    """Add the 四率 to a report's total and to each of its group rows, in place."""
    on = min(end, timezone.localdate())

    def narrowed(p: dict) -> bool:
        return (department is None or p["department"] == department) and (
            item is None or p["item"] == item
        )

    cache: dict[date, list[dict]] = {}

    def pairs(day: date) -> list[dict]:
        if day not in cache:
            cache[day] = [p for p in hall_items(on=day, sites=sites) if narrowed(p)]
        return cache[day]

    total.update(rates_of(pairs(on)), hall_completion_rate=total.get("completion_rate"))
    field = {"site": "site", "department": "department", "item": "item"}.get(by or "")
    for row in rows:
        day = _last_day(str(row.get("key") or ""), by, on)
        chosen = [p for p in pairs(day) if field is None or p[field] == row.get("key")]
        row.update(rates_of(chosen), hall_completion_rate=row.get("completion_rate"))

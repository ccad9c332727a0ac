"""Reads of the county read model: records, timelines and statistics per site and item."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Avg,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from county.readmodel.models import CaseFact, CaseRecord

CONCLUDED = Q(status="concluded")


def record_list(*, site: str | None = None, status: str | None = None) -> QuerySet[CaseRecord]:
    qs = CaseRecord.objects.all()
    if site:
        qs = qs.filter(Q(owner_site=site) | Q(origin_site=site))
    if status:
        qs = qs.filter(status=status)
    return qs


def record_timeline(*, number: str) -> QuerySet[CaseFact]:
    return CaseFact.objects.filter(number=number).order_by("seq")


def _rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def statistics(
    *, by_item: bool = True, since: date | None = None, until: date | None = None
) -> list[dict]:
    """收件, 受理, 办结, 办结率, 日结率, 平均办理天数, 超时件数, 承诺提速率, 实际提速率.

    Grouped by site and item (or by site alone). 收件 goes to the hall where the case was
    filed, 受理 to the hall that decides it, both in the period it was filed; outcomes
    (办结 and what follows from it) to the hall that decided it, in the period it was
    concluded.
    """
    item = F("item_code") if by_item else Value("")
    intake = (
        _period(CaseRecord.objects.all(), "submitted_at", since, until)
        .values(site=F("origin_site"), item=item)
        .annotate(
            received=Count("id"),
            overdue=Count("id", filter=Q(was_overdue=True)),
        )
        .order_by()
    )
    # 受理 where the case is decided (a forwarded case counts once), with how many of those
    # are concluded: 办结率 = settled / accepted cannot exceed 100%.
    deciding = Coalesce(NullIf(F("decided_site"), Value("")), F("owner_site"))
    cohort = (
        _period(CaseRecord.objects.filter(accepted_at__isnull=False), "submitted_at", since, until)
        .values(site=deciding, item=item)
        .annotate(accepted=Count("id"), settled=Count("id", filter=CONCLUDED))
        .order_by()
    )
    speedup = ExpressionWrapper(
        (F("legal_limit_days") - F("promised_limit_days")) * 1.0 / NullIf(F("legal_limit_days"), 0),
        output_field=FloatField(),
    )
    actual = ExpressionWrapper(
        (F("legal_limit_days") - F("days_used")) * 1.0 / NullIf(F("legal_limit_days"), 0),
        output_field=FloatField(),
    )
    outcome = (
        _period(CaseRecord.objects.filter(CONCLUDED), "concluded_at", since, until)
        .values(site=F("decided_site"), item=item)
        .annotate(
            concluded=Count("id"),
            same_day=Count("id", filter=Q(same_day=True)),
            avg_days=Avg("days_used"),
            promised_speedup=Avg(speedup),
            actual_speedup=Avg(actual),
        )
        .order_by()
    )
    rows: dict[tuple, dict] = {}
    blank = {
        "received": 0,
        "accepted": 0,
        "settled": 0,
        "overdue": 0,
        "concluded": 0,
        "same_day": 0,
    }
    for row in [*intake, *cohort]:
        rows.setdefault((row["site"], row["item"]), dict(blank)).update(row)
    for row in outcome:
        rows.setdefault((row["site"], row["item"]), dict(blank)).update(row)
    result = []
    for (site, item), row in sorted(rows.items()):
        accepted = row["accepted"] or 0
        result.append(
            {
                "site": site,
                "item": item,
                "received": row["received"],
                "accepted": accepted,
                "concluded": row["concluded"],
                "completion_rate": _rate(row["settled"], accepted),
                "same_day_rate": _rate(row["same_day"], row["concluded"]),
                "average_days": round(row["avg_days"], 2)
                if row.get("avg_days") is not None
                else None,
                "overdue": row["overdue"],
                "promised_speedup_rate": _round(row.get("promised_speedup")),
                "actual_speedup_rate": _round(row.get("actual_speedup")),
            }
        )
    return result


def _period(qs: QuerySet, field: str, since: date | None, until: date | None) -> QuerySet:
    if since:
        qs = qs.filter(**{f"{field}__date__gte": since})
    if until:
        qs = qs.filter(**{f"{field}__date__lte": until})
    return qs


def _round(value) -> float | None:
    return round(value, 4) if value is not None else None


FOLLOW_MAX = 100


def records_followed(*, site: str, numbers: list[str]) -> list[dict]:
    """Where the cases filed at `site` are now (one query; no personal data): for the
    village agent's list of cases filed for villagers."""
    last_at = CaseFact.objects.filter(number=OuterRef("number"), seq=OuterRef("last_seq"))
    return list(
        CaseRecord.objects.filter(origin_site=site, number__in=numbers[:FOLLOW_MAX])
        .annotate(last_at=Subquery(last_at.values("at")[:1]))
        .values(
            "number",
            "last_seq",
            "status",
            "outcome",
            "owner_site",
            "decided_site",
            "clock_state",
            "deadline",
            "concluded_at",
            "last_at",
        )
    )


def records_followed_by_number(*, site: str, numbers: list[str]) -> dict[str, dict]:
    """records_followed keyed by number, the shape sites.citizen.county_client answers in."""
    return {r["number"]: r for r in records_followed(site=site, numbers=numbers)}

"""The calendar as a catalogue release carries it (county.catalogue.release): written at the
county, applied at every site, sent only when it changed since the release's base."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Count, Max

from county.workdays.models import CalendarDay, CalendarYear


def calendar_fingerprint() -> str:
    """Tells a release whether the calendar changed since its base (then it carries it)."""
    value = [
        CalendarYear.objects.aggregate(n=Count("id"), u=Max("updated_at")),
        CalendarDay.objects.count(),
    ]
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()


def calendar_payload() -> list[dict]:
    return [
        {
            "year": y.year,
            "source": y.source,
            "notice": y.notice,
            "days": [[d.date.isoformat(), d.kind, d.name] for d in y.days.all()],
        }
        for y in CalendarYear.objects.prefetch_related("days").order_by("year")
    ]


def calendar_apply(rows: list[dict]) -> None:
    for row in rows:
        year, _ = CalendarYear.objects.update_or_create(
            year=row["year"], defaults={"source": row["source"], "notice": row["notice"]}
        )
        year.days.all().delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=year, date=d, kind=k, name=n) for d, k, n in row["days"]]
        )

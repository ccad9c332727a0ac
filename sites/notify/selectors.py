"""Reading notifications: the status figures, the 短信记录 page, the county's lists."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sites.notify.models import Notification, NotifyReport, Status


def notify_health() -> dict:
    """For /healthz/: what waits to be sent and what failed for good (no personal data)."""
    counts = Notification.objects.aggregate(
        due=Count("id", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return {"notifications_due": counts["due"], "notifications_failed": counts["failed"]}


def hall_month_counts(*, site, month: date) -> dict:
    """This hall's notifications finished since the first of `month`: sent and failed."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    return Notification.objects.filter(site=site, done_at__gte=start).aggregate(
        sent=Count("id", filter=Q(status=Status.SENT)),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )


def monthly_figures(*, codes: list[str] | None = None) -> list[dict]:
    """At the county: sent and failed per hall and month (from the halls' reports);
    `codes`: only these halls (None: all)."""
    rows = NotifyReport.objects.all()
    if codes is not None:
        rows = rows.filter(site__in=codes)
    return list(
        rows.annotate(month=TruncMonth("done_at"))
        .values("site", "month")
        .annotate(
            sent=Count("id", filter=Q(status=Status.SENT)),
            failed=Count("id", filter=Q(status=Status.FAILED)),
        )
        .order_by("-month", "site")
    )

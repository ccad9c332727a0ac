"""Reading notifications: the status figures, the 短信记录 page, the county's lists."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from sites.notify.models import Notification, NotifyReport, Status


def notify_health() -> dict:
    """For /healthz/: what waits to be sent and what failed for good (no personal data)."""
    counts = Notification.objects.aggregate(
        due=Count("id", filter=Q(status__in=[Status.PENDING, Status.SENDING])),
        failed=Count("id", filter=Q(status=Status.FAILED)),
    )
    return {"notifications_due": counts["due"], "notifications_failed": counts["failed"]}


def monthly_figures() -> list[dict]:
    """At the county: sent and failed per hall and month (from the halls' reports)."""
    return list(
        NotifyReport.objects.annotate(month=TruncMonth("done_at"))
        .values("site", "month")
        .annotate(
            sent=Count("id", filter=Q(status=Status.SENT)),
            failed=Count("id", filter=Q(status=Status.FAILED)),
        )
        .order_by("-month", "site")
    )

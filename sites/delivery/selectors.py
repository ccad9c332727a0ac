"""Reads of 送达: the window's list of results not yet collected, one case's delivery,
and the monthly counts per hall (collected / posted / uncollected)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from sites.delivery.models import Delivery, DeliveryRecord, DeliveryStatus, Method
from sites.registry.models import Site


def deliveries_pending(*, site: Site, number: str = "", overdue_on: date | None = None) -> QuerySet:
    """待领取 here, the longest overdue first; `overdue_on`: only those past their deadline."""
    # a result handed back down (退回下级) is delivered there: not on this hall's list
    qs = Delivery.objects.filter(site=site, case__owner_site=site, status=DeliveryStatus.PENDING)
    if number:
        qs = qs.filter(case__number__startswith=number)
    if overdue_on is not None:
        qs = qs.filter(collect_by__lt=overdue_on)
    return qs.select_related("case", "case__item_version", "department").order_by(
        "collect_by", "id"
    )


def delivery_for(*, number: str, site: Site) -> Delivery | None:
    return (
        Delivery.objects.filter(case__number=number, site=site)
        .select_related("case", "case__item_version", "department", "window")
        .first()
    )


def delivery_statistics(*, sites: QuerySet | None = None) -> list[dict]:
    """Per hall and month (of the result being ready): ready, collected at the window,
    posted, electronic downloads, outside the window, still uncollected. One query."""
    qs = Delivery.objects.all() if sites is None else Delivery.objects.filter(site__in=sites)
    rows = (
        qs.annotate(month=TruncMonth("ready_at"))
        .values("site__code", "site__name", "month")
        .annotate(
            ready=Count("id"),
            collected=Count("id", filter=Q(method=Method.WINDOW)),
            posted=Count("id", filter=Q(status=DeliveryStatus.POSTED)),
            downloaded=Count("id", filter=Q(downloaded_at__isnull=False)),
            outside=Count("id", filter=Q(method=Method.OUTSIDE)),
            uncollected=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        )
        .order_by("-month", "site__code")
    )
    return list(rows)


def delivery_record_statistics(*, sites, start: date, end: date) -> list[dict]:
    """At the county, every hall's results by hall (of `sites`, codes; None: all) and month
    of being ready, from the delivery records: collected at the window, posted, outside the
    window, still uncollected. One query."""
    qs = DeliveryRecord.objects.filter(ready_at__date__gte=start, ready_at__date__lte=end)
    if sites is not None:
        qs = qs.filter(site_code__in=list(sites))
    rows = (
        qs.annotate(month=TruncMonth("ready_at"))
        .values("site_code", "site_name", "month")
        .annotate(
            ready=Count("id"),
            collected=Count("id", filter=Q(method=Method.WINDOW)),
            posted=Count("id", filter=Q(status=DeliveryStatus.POSTED)),
            outside=Count("id", filter=Q(method=Method.OUTSIDE)),
            uncollected=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
        )
        .order_by("-month", "site_code")
    )
    return list(rows)

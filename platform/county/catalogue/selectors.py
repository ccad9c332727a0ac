"""Reads of the catalogue."""

from __future__ import annotations

from django.db.models import F, QuerySet

from county.catalogue.models import Delegation, Item, ItemVersion
from sites.registry.models import Site


def item_current_versions() -> QuerySet[ItemVersion]:
    """Each item's current version with what a listing shows, in a fixed number of queries."""
    return (
        ItemVersion.objects.filter(number=F("item__current_version"))
        .select_related("item", "department")
        .prefetch_related("co_departments")
        .order_by("item__code")
    )


def item_versions(*, code: str) -> QuerySet[ItemVersion]:
    return (
        ItemVersion.objects.filter(item__code=code)
        .select_related("item", "department")
        .prefetch_related("co_departments")
        .order_by("-number")
    )


def item_version_get(*, code: str, number: int | None = None) -> ItemVersion | None:
    qs = ItemVersion.objects.select_related("item", "department").filter(item__code=code)
    if number is None:
        return qs.filter(number=F("item__current_version")).first()
    return qs.filter(number=number).first()


def delegation_list(*, site: Site | None = None, active_only: bool = False) -> QuerySet[Delegation]:
    qs = Delegation.objects.select_related("item", "site")
    if site is not None:
        qs = qs.filter(site=site)
    if active_only:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs


def delegation_active(*, item: Item, site: Site) -> Delegation | None:
    return delegation_list(site=site, active_only=True).filter(item=item).first()

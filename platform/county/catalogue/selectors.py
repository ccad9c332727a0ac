"""Reads of the catalogue."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone

from county.catalogue.models import Delegation, DelegationMode, HandlingType, Item, ItemVersion
from sites.registry.models import Site, Tier


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


def delegation_decides(*, item: Item, handling_type: str, site: Site, at=None) -> bool:
    """The one rule for who decides an item (受理并办结): the county decides what it holds;
    上报件 are never decided below the county; elsewhere only under a decide delegation
    granted by `at` (the case's acceptance; now for a new case) and not withdrawn before
    it — cases accepted before a withdrawal run to the end, new ones are refused."""
    if site.tier == Tier.COUNTY:
        return True
    if handling_type == HandlingType.ESCALATED:
        return False
    at = at or timezone.now()
    return (
        Delegation.objects.filter(
            item=item, site=site, mode=DelegationMode.DECIDE, granted_at__lte=at
        )
        .exclude(withdrawn_at__lt=at)
        .exists()
    )

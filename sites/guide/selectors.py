"""办事指南: what a citizen reads about an item, from the catalogue this hall holds."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from county.catalogue.models import DelegationMode, ItemVersion
from county.catalogue.selectors import delegation_list, item_current_versions, item_version_get
from sites.registry.models import Site, Tier


def guide_search(*, q: str = "") -> QuerySet[ItemVersion]:
    """Current versions matching the words in `q` (name, code, department, content)."""
    qs = item_current_versions()
    for word in (q or "").split()[:5]:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(item__code__icontains=word)
            | Q(department__name__icontains=word)
            | Q(content__icontains=word)
        )
    return qs


def guide_item(*, code: str) -> dict | None:
    """The six facts of the item's current version and where it is handled: the county
    decides everything it holds; a township or village as its delegation says."""
    version = item_version_get(code=code)
    if version is None:
        return None
    halls = [
        {"site": s, "mode": "decide", "label": DelegationMode.DECIDE.label}
        for s in Site.objects.filter(tier=Tier.COUNTY)
    ]
    for d in delegation_list(active_only=True).filter(item=version.item).order_by("site__path"):
        halls.append({"site": d.site, "mode": d.mode, "label": d.get_mode_display()})
    return {"version": version, "halls": halls}

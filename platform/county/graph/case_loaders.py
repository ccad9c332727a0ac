"""Per-page loads for case fields: one query per kind of data for the whole page."""

from __future__ import annotations

from collections import defaultdict

from county.catalogue.models import ItemVersion
from county.graph.loaders import request_cache
from county.readmodel.models import CaseFact


def page_numbers(info, records) -> None:
    """Remember which cases are on the page being resolved."""
    request_cache(info)["case_numbers"] = [r.number for r in records]
    request_cache(info)["case_items"] = {(r.item_code, r.item_version) for r in records}


def facts_for(info, number: str) -> list[CaseFact]:
    cache = request_cache(info)
    if "facts" not in cache:
        numbers = cache.get("case_numbers") or [number]
        grouped: dict[str, list[CaseFact]] = defaultdict(list)
        for fact in CaseFact.objects.filter(number__in=numbers).order_by("number", "seq"):
            grouped[fact.number].append(fact)
        cache["facts"] = grouped
    if number not in cache["facts"]:  # a case resolved outside the page (single lookup)
        cache["facts"][number] = list(CaseFact.objects.filter(number=number).order_by("seq"))
    return cache["facts"][number]


def item_version_for(info, code: str, number: int) -> ItemVersion | None:
    cache = request_cache(info)
    if "item_versions" not in cache:
        keys = cache.get("case_items") or {(code, number)}
        codes = {c for c, _ in keys}
        cache["item_versions"] = {
            (v.item.code, v.number): v
            for v in ItemVersion.objects.filter(item__code__in=codes)
            .select_related("item", "department")
            .prefetch_related("co_departments")
        }
    return cache["item_versions"].get((code, number))

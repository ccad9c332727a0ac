"""办事指南 pages: the list with search, one page per item (kiosk mode: ?kiosk=1)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sites.guide.forms import GuideQuery
from sites.guide.selectors import guide_item, guide_search


def _kiosk(request) -> bool:
    return GuideQuery(request.GET).value("kiosk") == "1"


@require_GET
def guide_list(request):
    query = GuideQuery(request.GET)
    q = query.value("q")
    items = guide_search(q=q)[:200]
    return render(
        request,
        "guide/list.html",
        {"items": items, "q": q, "kiosk": _kiosk(request), "form": query},
        status=200 if query.is_valid() else 400,
    )


@require_GET
def guide_page(request, code: str):
    found = guide_item(code=code)
    if found is None:
        raise Http404
    return render(request, "guide/item.html", {**found, "kiosk": _kiosk(request)})

"""代办跟踪: the village agent's cases filed for villagers, wherever they are now.

After a forward the village's own copy still says 已受理 (the village no longer owns it, so
nothing more happens to it there). The county's read model hears from every hall: the page
asks it once per page (sites.citizen.county_client) and shows its status and current holder
when it is at least as new as the village's copy. When the county cannot be reached the page
says so and shows a forwarded case as 已上报, never as if 已受理 were the last word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from permissions import access
from sites.cases.forms import ListQuery
from sites.cases.models import CaseStatus, Outcome
from sites.cases.selectors import LIST_COLUMNS, case_list_for_user
from sites.citizen.county_client import (
    CountyUnreachable,
    county_followed,
    county_followed_here,
)
from sites.registry.models import Site, Tier
from sites.registry.selectors import site_current

PAGE_SIZE = 20
UNREACHABLE = "县级中心暂时无法连接，以下为本站记录：已上报的办件，最新进度请稍后再看。"


@dataclass
class Followed:
    case: object
    status: str
    holder: str
    heard_at: datetime | None
    synced: bool  # the county's record is at least as new as ours


def _county_rows(here: Site, numbers: list[str]) -> dict[str, dict]:
    if here.tier == Tier.COUNTY:  # the read model is here
        return county_followed_here(site=here.code, numbers=numbers)
    return county_followed(numbers=numbers)


def _label(status: str, outcome: str) -> str:
    label = CaseStatus(status).label
    return f"{label}（{Outcome(outcome).label}）" if outcome else label


def followed_rows(*, cases: list, here: Site, county: dict[str, dict]) -> list[Followed]:
    codes = {r["owner_site"] for r in county.values()}
    names = dict(Site.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    rows = []
    for case in cases:
        record = county.get(case.number)
        if record and record["last_seq"] >= case.seq:
            at = record.get("last_at")
            rows.append(
                Followed(
                    case=case,
                    status=_label(record["status"], record["outcome"]),
                    holder=names.get(record["owner_site"], record["owner_site"]),
                    heard_at=parse_datetime(at) if isinstance(at, str) else at,
                    synced=True,
                )
            )
            continue
        status = _label(case.status, case.outcome)
        if case.owner_site_id != here.id and case.status in (CaseStatus.ACCEPTED,):
            status = "已上报，等待县级中心同步进度"
        rows.append(Followed(case, status, case.owner_site.name, None, synced=False))
    return rows


@login_required
def followed(request):
    """我代办的办件: cases this agent filed, with the county's view of where each is now."""
    here = site_current()
    if not access.has_site_perm(user=request.user, site=here, perm=access.SitePerm.FILE_AS_AGENT):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    query = ListQuery(request.GET)
    number, size = query.page_and_size(PAGE_SIZE)
    qs = (
        case_list_for_user(user=request.user)
        .filter(filed_by=request.user)
        .only(*LIST_COLUMNS, "seq", "owner_site__name")
    )
    page = Paginator(qs.order_by("-submitted_at", "pk"), size).get_page(number)
    cases = list(page.object_list)
    note = None
    try:
        county = _county_rows(here, [c.number for c in cases]) if cases else {}
    except CountyUnreachable:
        county, note = {}, UNREACHABLE
    rows = followed_rows(cases=cases, here=here, county=county)
    return render(
        request,
        "workbench/followed.html",
        {"page": page, "rows": rows, "note": note, "form": query},
        status=200 if query.is_valid() else 400,
    )

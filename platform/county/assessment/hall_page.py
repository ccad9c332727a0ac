"""本站考核: a township or village hall's staff see their own windows and their own points,
ranking and the complaints about them, at their hall (issue 22, seed 000 第二十八条's
「每月公布」 reaching the halls ranked). The hall asks the county with a signed request (as
the agent's 我代办的 list does, sites.workbench.follow); when the county cannot answer the
page says so."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from county.assessment.forms import PeriodQuery
from county.assessment.hall_view import hall_assessment
from permissions import access
from sites.citizen.county_client import CountyUnreachable, county_post
from sites.registry import tier
from sites.registry.selectors import site_current
from sync.keys import REQUEST_SIGNATURE_HEADER, request_sign

HALL_PATH = "/halls/kaohe/"
UNREACHABLE = "县级中心暂时无法连接，考核情况请稍后再看。"


def county_hall_assessment(*, username: str, year: int, month: int) -> dict:
    """The county's answer for this hall (CountyUnreachable when it cannot answer)."""
    body = json.dumps(
        {
            "site": settings.HALL_SITE,
            "at": timezone.now().isoformat(),
            "username": username,
            "year": year,
            "month": month,
        }
    ).encode()
    reply = county_post(HALL_PATH, body, {REQUEST_SIGNATURE_HEADER: request_sign(body)})
    if "windows" not in reply:
        raise CountyUnreachable(str(reply.get("detail", "")))
    return reply


def may_view_hall_assessment(*, user, here) -> bool:
    """The hall's window staff (clerks, chief representatives), at their own hall."""
    return access.has_site_perm(user=user, site=here, perm=access.SitePerm.ACT)


def _answer(here, *, username: str, year: int, month: int) -> dict:
    if tier.here().keeps_read_model:  # the assessment is here
        return hall_assessment(site=here.code, username=username, year=year, month=month)
    return county_hall_assessment(username=username, year=year, month=month)


@login_required
def hall_page(request):
    here = site_current()
    if not may_view_hall_assessment(user=request.user, here=here):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    query = PeriodQuery(request.GET)
    today = timezone.localdate()
    valid = query.is_valid()
    data = query.cleaned_data if valid else {}
    year, month = data.get("year") or today.year, data.get("month") or today.month
    answer, note = None, None
    try:
        answer = _answer(here, username=request.user.username, year=year, month=month)
    except CountyUnreachable:
        note = UNREACHABLE
    return render(
        request,
        "assessment/hall.html",
        {"form": query, "year": year, "month": month, "answer": answer, "note": note},
        status=200 if valid else 400,
    )

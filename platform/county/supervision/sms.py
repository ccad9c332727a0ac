"""短信监察 at the county: notifications that failed for good at any hall, and sent/failed per
hall and month (the outcomes reach the county as notify.outcome messages; sites.notify keeps
the hall's own outbox and 短信记录)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from county.supervision.access import sms_supervised_codes
from permissions.access import DENIED_MESSAGE
from sites.notify import selectors as sel
from sites.notify.forms import LogQuery
from sites.notify.kinds import kind_label
from sites.notify.models import NotifyReport, Status
from sites.notify.views import PAGE_SIZE
from sites.registry.models import Site


@login_required
def sms_watch(request):
    """At the county: notifications that failed for good, and sent/failed per hall and month."""
    codes = sms_supervised_codes(user=request.user)
    if codes == []:
        raise PermissionDenied(DENIED_MESSAGE)
    failed = NotifyReport.objects.filter(status=Status.FAILED).order_by("-done_at", "-id")
    if codes is not None:
        failed = failed.filter(site__in=codes)
    query = LogQuery(request.GET)
    status = 400 if request.GET and not query.is_valid() else 200
    page = Paginator(failed, PAGE_SIZE).get_page(query.value("page") or 1)
    names = dict(Site.objects.values_list("code", "name"))
    for row in page.object_list:
        row.kind_label, row.site_name = kind_label(row.kind), names.get(row.site, row.site)
    figures = sel.monthly_figures(codes=codes)
    for row in figures:
        row["site_name"] = names.get(row["site"], row["site"])
    return render(
        request,
        "notify/supervision.html",
        {"form": query, "page": page, "query": "", "figures": figures},
        status=status,
    )

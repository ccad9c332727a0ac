"""短信记录 (each hall) and 短信监察 (the county): thin views; access.py decides."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from permissions.access import DENIED_MESSAGE
from sites.cases.identity import mask_phone
from sites.notify import selectors as sel
from sites.notify.access import may_view_sms_log
from sites.notify.forms import LogQuery
from sites.notify.kinds import kind_label
from sites.notify.models import Notification, SmsRecord
from sites.registry.selectors import site_current

PAGE_SIZE = 50


@login_required
def sms_log(request):
    """This hall's SMS: every notification with its state, and the demo gateway's record."""
    here = site_current()
    if not may_view_sms_log(user=request.user, here=here):
        raise PermissionDenied(DENIED_MESSAGE)
    query = LogQuery(request.GET)
    status = 400 if request.GET and not query.is_valid() else 200
    rows = Notification.objects.filter(site=here).order_by("-created_at", "-id")
    if query.value("status"):
        rows = rows.filter(status=query.value("status"))
    if query.value("kind"):
        rows = rows.filter(kind=query.value("kind"))
    page = Paginator(rows, PAGE_SIZE).get_page(query.value("page") or 1)
    for row in page.object_list:
        row.phone_shown, row.kind_label = mask_phone(row.phone), kind_label(row.kind)
    demo = list(SmsRecord.objects.filter(site=here)[:20])
    for record in demo:
        record.phone_shown = mask_phone(record.phone)
    month = timezone.localdate().replace(day=1)
    counts = sel.hall_month_counts(site=here, month=month)
    filters = "&".join(
        f"{name}={query.value(name)}" for name in ("status", "kind") if query.value(name)
    )
    return render(
        request,
        "notify/log.html",
        {
            "form": query,
            "page": page,
            "query": f"{filters}&" if filters else "",
            "demo": demo,
            "counts": counts,
            "month": month,
            "health": sel.notify_health(),
        },
        status=status,
    )

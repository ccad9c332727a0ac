"""送达 pages in the workbench: the list of results not yet collected (未领取), one case's
delivery page with its forms (登记领取 with pickup code + ID check, 委托代领人, 登记邮寄,
未通过窗口取件). Thin: look up, check access, clean, call one service, redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from permissions import access
from permissions.roles import SitePerm
from sites.cases.models import Case, CaseStatus
from sites.delivery import selectors, services
from sites.delivery.forms import FORMS, AgentForm, CollectForm, OutsideForm, PendingQuery, PostForm
from sites.registry.models import Staff
from sites.registry.selectors import site_current

PAGE_SIZE = 20
SERVICES = {
    "lingqu": services.delivery_collect,
    "daililing": services.delivery_agent_set,
    "youji": services.delivery_post,
    "chuangkouwai": services.delivery_outside,
}
DONE = {
    "lingqu": "已登记领取。",
    "daililing": "已登记委托代领人。",
    "youji": "已登记邮寄送达。",
    "chuangkouwai": "已登记未通过窗口取件。",
}


def may_deliver(*, user, site) -> bool:
    """Who hands results out here: who acts at this hall (the window staff)."""
    return access.user_active(user) and access.has_site_perm(
        user=user, site=site, perm=SitePerm.ACT
    )


def _here(request):
    here = site_current()
    if not may_deliver(user=request.user, site=here):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    return here


def _delivery(here, number: str):
    case = Case.objects.filter(
        number=number[:64], owner_site=here, status=CaseStatus.CONCLUDED
    ).first()
    if case is None:
        raise access.AccessNotFound(access.NOT_FOUND_MESSAGE)
    found = selectors.delivery_for(number=case.number, site=here)
    if found is None:  # concluded before 送达 existed, or brought back concluded
        services.delivery_open(case=case)
        found = selectors.delivery_for(number=case.number, site=here)
    return found


@login_required
def pending(request):
    """未领取: results waiting here, the longest overdue first."""
    here = _here(request)
    query = PendingQuery(request.GET)
    valid = query.is_valid()
    data = query.cleaned_data if valid else {}
    today = timezone.localdate()
    qs = selectors.deliveries_pending(
        site=here,
        number=(data.get("q") or "").strip(),
        overdue_on=today if data.get("overdue") else None,
    )
    number, size = query.page_and_size(PAGE_SIZE)
    page = Paginator(qs, size).get_page(number)
    return render(
        request,
        "delivery/pending.html",
        {
            "page": page,
            "form": query,
            "today": today,
            "stats": selectors.delivery_statistics(sites=type(here).objects.filter(pk=here.pk))[:6],
        },
        status=200 if valid else 400,
    )


def _page(request, delivery, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    context = {
        "delivery": delivery,
        "case": delivery.case,
        "collect": forms.get("lingqu") or CollectForm(auto_id="lingqu-%s"),
        "agent": forms.get("daililing") or AgentForm(auto_id="daililing-%s"),
        "post": forms.get("youji") or PostForm(auto_id="youji-%s"),
        "outside": forms.get("chuangkouwai") or OutsideForm(auto_id="chuangkouwai-%s"),
        "done": request.GET.get("done") in DONE and DONE[request.GET["done"]],
        "today": timezone.localdate(),
    }
    return render(request, "delivery/delivery.html", context, status=status)


@login_required
def delivery_page(request, number: str):
    here = _here(request)
    return _page(request, _delivery(here, number))


@login_required
@require_POST
def delivery_act(request, number: str, action: str):
    here = _here(request)
    if action not in FORMS:
        raise access.AccessNotFound(access.NOT_FOUND_MESSAGE)
    delivery = _delivery(here, number)
    form = FORMS[action](request.POST, auto_id=f"{action}-%s")
    if form.is_valid():
        kwargs = dict(form.cleaned_data)
        if action == "daililing":
            kwargs = {"name": kwargs["agent_name"], "id_number": kwargs["agent_id_number"]}
        if action == "lingqu":
            staff = Staff.objects.filter(user=request.user).select_related("window").first()
            kwargs["window"] = staff.window if staff else None
        try:
            SERVICES[action](case=delivery.case, by=request.user, **kwargs)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            url = reverse("delivery:delivery", args=[delivery.case.number])
            return redirect(f"{url}?done={action}")
    delivery.refresh_from_db()
    return _page(request, delivery, {action: form}, status=400)

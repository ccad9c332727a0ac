"""联办件 pages: the county supervisor's stalled-parts board with 改派, and the chief
representative's 集中会签 list. Thin views over sites.joint services and selectors;
permissions.access and sites.joint.access decide who may do what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from permissions import access
from sites.cases import access as case_access
from sites.cases.forms import ListQuery, problems, service_errors
from sites.cases.selectors import case_base, case_timeline
from sites.joint.access import PartAction, access_part, can_view_stalled
from sites.joint.models import Opinion
from sites.joint.reassign import part_reassign
from sites.joint.selectors import (
    cases_ready_to_countersign,
    part_base,
    stalled_parts,
    stalled_site_codes_for_user,
)
from sites.registry.models import Department, Site, Tier
from sites.registry.selectors import site_current
from sites.workbench.forms import ReassignForm
from sites.workbench.views import case_render

PAGE_SIZE = 20


def _page(request, qs):
    number, size = ListQuery(request.GET).page_and_size(PAGE_SIZE)
    return Paginator(qs, size).get_page(number)


@login_required
def stalled(request):
    """停滞的联办环节: warning or overdue parts across the halls this supervisor watches."""
    return _stalled_render(request)


def _stalled_render(request, *, errors: dict | None = None, status: int = 200):
    if not can_view_stalled(user=request.user):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    here = site_current()
    qs = stalled_parts(site_codes=stalled_site_codes_for_user(user=request.user))
    page = _page(request, qs)
    sites = dict(Site.objects.values_list("code", "name"))
    departments = dict(Department.objects.values_list("code", "name"))
    today = timezone.localdate()
    rows = [
        {
            "record": r,
            "number": r.case_number,
            "department": r.department,
            "department_name": departments.get(r.department, r.department),
            "site_name": sites.get(r.site, r.site),
            "lead_name": sites.get(r.lead_site, r.lead_site),
            "overdue": r.deadline < today,
            "here": r.lead_site == here.code,  # 改派 happens at the lead hall
        }
        for r in page.object_list
    ]
    targets = list(
        Site.objects.filter(tier__in=(Tier.COUNTY, Tier.TOWNSHIP))
        .order_by("path")
        .values_list("code", "name")
    )
    return render(
        request,
        "workbench/stalled.html",
        {
            "page": page,
            "rows": rows,
            "targets": targets,
            "departments": sorted(departments.items()),
            "errors": errors or {},
            "done": "" if errors else request.session.pop("workbench_done", ""),
        },
        status=status,
    )


@login_required
@require_POST
def reassign(request, number, department):
    part = access_part(
        user=request.user,
        number=number,
        department=department,
        action=PartAction.REASSIGN,
        queryset=part_base(),
    )
    form = ReassignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(problems(form))
        data = form.cleaned_data
        moved = part_reassign(
            part=part,
            by=request.user,
            reason=data["reason"],
            department=data["department"].strip() or None,
            site=data["site"].strip() or None,
        )
    except ValidationError as exc:
        # the page the 改派 was asked from, again (400), the reason on top
        errors = service_errors(exc)
        if form.is_valid() and form.cleaned_data["back"] == "case":
            case = case_access.access_case(
                user=request.user, number=number, queryset=case_timeline(case_base())
            )
            return case_render(request, case, errors=errors, status=400)
        return _stalled_render(request, errors=errors, status=400)
    request.session["workbench_done"] = (
        f"{number} 的{moved.department.name}环节已改派至{moved.site.name}。"
    )
    if form.cleaned_data["back"] == "case":
        return redirect("workbench:case", number=number)
    return redirect("workbench:stalled")


@login_required
def countersign_list(request):
    """集中会签: the joint cases led here whose every part has its opinion."""
    here = site_current()
    if not access.has_site_perm(user=request.user, site=here, perm=access.SitePerm.DECIDE):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    qs = case_access.case_queryset_for_user(
        user=request.user, queryset=cases_ready_to_countersign(site=here)
    )
    page = _page(request, qs)
    return render(
        request,
        "workbench/countersign.html",
        {"page": page, "disagree": Opinion.DISAGREE},
    )

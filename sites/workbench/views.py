"""办件工作台 pages: thin views over sites.cases selectors/services and permissions.access."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import RFC3986_SUBDELIMS
from django.views.decorators.http import require_POST

from county.catalogue.models import Item
from county.catalogue.selectors import item_version_get
from permissions import access
from permissions.roles import Action as AccessAction
from sites.cases import services
from sites.cases.identity import id_number_problem, mask_id_number, mask_phone, phone_problem
from sites.cases.models import CaseStatus, ClockState, EventType
from sites.cases.notices import KINDS, notice_render
from sites.cases.selectors import case_base, case_list_for_user, case_timeline
from sites.registry.selectors import site_current
from sites.workbench.actions import actions_available
from sites.workbench.perform import action_perform
from sites.workbench.perform import errors_of as _errors

PAGE_SIZE = 20
STATES = [
    (ClockState.OVERDUE, "红 超时"),
    (ClockState.WARNING, "黄 预警"),
    (ClockState.ON_TIME, "正常"),
    (ClockState.SUSPENDED, "暂停"),
]
OPEN = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)


@login_required
def inbox(request):
    """待办: open cases here by clock state, searchable by number or applicant."""
    state = request.GET.get("state") or ""
    q = (request.GET.get("q") or "").strip()
    size = min(max(int(request.GET.get("size") or PAGE_SIZE), 1), 100)
    qs = case_list_for_user(user=request.user, clock_state=state or None)
    qs = qs.filter(status__in=OPEN) if not request.GET.get("all") else qs
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q))
    qs = qs.order_by("deadline", "-submitted_at", "pk")
    # The page's ids first (the open-cases index alone), then only those rows: sorting
    # whole rows cost a township 15-40 ms at 1M cases (docs/decisions/0017).
    ids = qs.prefetch_related(None).values_list("pk", flat=True)
    page = Paginator(ids, size).get_page(request.GET.get("page"))
    rows = qs.in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    link = _case_link()
    for case in page.object_list:
        case.page_url = link(case.number)
    return render(
        request,
        "workbench/inbox.html",
        {"page": page, "states": STATES, "state": state, "q": q},
    )


def _case_link():
    """number -> the case page's URL, as {% url 'workbench:case' number %} gives it: one
    reverse() per page instead of one per row (0.1-0.25 ms each, most of a row's cost)."""
    head = reverse("workbench:case", args=["0"])[: -len("0/")]
    return lambda number: f"{head}{quote(number, safe=RFC3986_SUBDELIMS + '/~:@')}/"


def _intake_allowed(user, item, here) -> bool:
    if item is not None:
        return access.can_accept_item_here(user=user, item=item, site=here)
    return access.has_site_perm(user=user, site=here, perm=access.SitePerm.ACT)


def _fields_check(values) -> None:
    """Every field's problem at once (the service stops at the first), so the clerk fixes all."""
    problems = {}
    id_problem = id_number_problem(
        (values.get("applicant_id_number") or "").strip().upper(), today=timezone.localdate()
    )
    if id_problem:
        problems["applicant_id_number"] = id_problem
    if phone_problem((values.get("applicant_phone") or "").strip()):
        problems["applicant_phone"] = phone_problem(values.get("applicant_phone").strip())
    if not (values.get("applicant_name") or "").strip():
        problems["applicant_name"] = "请填写申请人姓名。"
    if problems:
        raise ValidationError(problems)


def _when(value: str | None):
    """收件时间 from the form (Beijing time, datetime-local); None: now."""
    value = (value or "").strip()
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ValidationError({"at": "收件时间格式不正确。"})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@login_required
def intake(request):
    """收件: the item's material checklist; field errors shown beside each field."""
    here = site_current()
    code = (request.POST.get("item_code") or request.GET.get("item") or "").strip()
    version = item_version_get(code=code) if code else None
    errors, values = {}, request.POST
    if request.method == "POST":
        item = Item.objects.filter(code=code).first()
        if not _intake_allowed(request.user, item, here):
            raise access.AccessDenied(access.DENIED_MESSAGE)
        try:
            _fields_check(values)
            at = _when(values.get("submitted_at"))
            case = services.case_submit(
                at=at,
                by=request.user,
                item_code=code,
                applicant_name=values.get("applicant_name", ""),
                applicant_id_number=values.get("applicant_id_number", ""),
                applicant_phone=values.get("applicant_phone", ""),
                materials=values.getlist("materials"),
            )
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("workbench:case", number=case.number)
    items = Item.objects.filter(delegations__site=here).distinct().order_by("code")
    return render(
        request,
        "workbench/intake.html",
        {
            "version": version,
            "code": code,
            "errors": errors,
            "values": values,
            "checked": values.getlist("materials") if request.method == "POST" else None,
            "items": items,
        },
    )


def _case(request, number, action=AccessAction.VIEW):
    return access.access_case(
        user=request.user, number=number, action=action, queryset=case_timeline(case_base())
    )


NOTICE_OF = {
    EventType.ACCEPTED: "acceptance",
    EventType.SUPPLEMENT_REQUESTED: "supplement",
    EventType.RETURNED: "return",
    EventType.REFUSED: "refusal",
    EventType.DECIDED: "decision",
}


@login_required
def case_page(request, number):
    """One case: the clock, the timeline and only the actions this person may take now."""
    case = _case(request, number)
    may = access.can_handle_case(user=request.user, case=case)
    actions = actions_available(case=case, here=site_current()) if may else []
    events = list(case.events.all())
    printable = sorted({NOTICE_OF[e.type] for e in events if e.type in NOTICE_OF})
    return render(
        request,
        "workbench/case.html",
        {
            "case": case,
            "events": events,
            "actions": actions,
            "notices": [(k, NOTICE_TITLES[k]) for k in printable],
            "errors": request.session.pop("workbench_errors", {}),
        },
    )


@login_required
@require_POST
def case_act(request, number, name):
    case = _case(request, number, AccessAction.HANDLE)
    allowed = {a.name for a in actions_available(case=case, here=site_current())}
    try:
        if name not in allowed:
            raise ValidationError({"action": "当前状态下不能进行该操作。"})
        result = action_perform(name=name, case=case, by=request.user, data=request.POST)
    except ValidationError as exc:
        request.session["workbench_errors"] = _errors(exc)
        return redirect(reverse("workbench:case", args=[number]) + "?error=" + name)
    if name == "accept":
        # The query code exists only in this response (its hash is stored): print it now.
        case = case_timeline(case_base()).get(pk=case.pk)
        return HttpResponse(notice_render(case=case, kind="acceptance", query_code=result))
    return redirect("workbench:case", number=number)


NOTICE_TITLES = {
    "acceptance": "受理通知书",
    "supplement": "一次性告知书",
    "return": "退办件通知书",
    "refusal": "不予受理通知书",
    "decision": "许可决定书",
}


@login_required
def notice(request, number, kind):
    """A4 print of a notice; the decision notice (准予/不予许可决定书) is rendered here."""
    case = _case(request, number)
    try:
        if kind in KINDS:
            html = notice_render(case=case, kind=kind)
        elif kind == "decision":
            html = _decision(case)
        else:
            raise ValidationError({"kind": "未知通知书类型。"})
    except ValidationError as exc:
        return render(request, "workbench/error.html", {"errors": _errors(exc)}, status=404)
    return HttpResponse(html)


def _decision(case) -> str:
    event = case.events.filter(type=EventType.DECIDED).order_by("-seq").first()
    if event is None:
        raise ValidationError({"kind": "该办件尚未办结，没有许可决定书。"})
    approved = case.outcome == "approved"
    return render_to_string(
        "workbench/decision.html",
        {
            "case": case,
            "event": event,
            "title": "准予许可决定书" if approved else "不予许可决定书",
            "approved": approved,
            "id_number": mask_id_number(case.applicant_id_number),
            "phone": mask_phone(case.applicant_phone),
        },
    )

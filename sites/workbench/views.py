"""办件工作台 pages: thin views over sites.cases selectors/services and permissions.access."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.views.decorators.http import require_POST

from county.catalogue import access as item_access
from county.catalogue.models import Item, ItemVersion
from county.catalogue.selectors import item_version_get
from permissions import access
from permissions.roles import Action as AccessAction
from sites.cases import access as case_access
from sites.cases import services
from sites.cases.actions import ACTIONS
from sites.cases.forms import service_errors as _errors
from sites.cases.identity import id_number_problem, phone_problem
from sites.cases.models import CaseStatus, ClockState, EventType
from sites.cases.notices import KINDS, notice_render, notice_title
from sites.cases.selectors import case_base, case_list_for_user, case_timeline
from sites.joint.access import can_reassign_part
from sites.joint.models import Opinion
from sites.registry.models import Department, Site, Tier
from sites.registry.selectors import site_current
from sites.workbench.actions import actions_available, open_parts
from sites.workbench.forms import InboxQuery, IntakeForm, ItemPick, action_form
from sites.workbench.perform import action_perform

PAGE_SIZE = 20
STATES = [
    (ClockState.NOT_STARTED, "待受理"),
    (ClockState.OVERDUE, "红 超时"),
    (ClockState.WARNING, "黄 预警"),
    (ClockState.ON_TIME, "正常"),
    (ClockState.SUSPENDED, "暂停"),
]
OPEN = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)


@login_required
def inbox(request):
    """待办: open cases here by clock state, searchable by number or applicant."""
    if not access.may_open_inbox(user=request.user, site=site_current()):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    query = InboxQuery(request.GET)
    valid = query.is_valid()
    data = query.cleaned_data if valid else {}
    state = data.get("state") if data.get("state") in ClockState.values else ""
    q = (data.get("q") or "").strip()
    number, size = query.page_and_size(PAGE_SIZE)
    qs = case_list_for_user(user=request.user, clock_state=state or None)
    if not data.get("all"):  # 待办: open cases this hall holds (not those forwarded up)
        qs = qs.filter(status__in=OPEN, owner_site=site_current())
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q))
    qs = qs.order_by("deadline", "-submitted_at", "pk")
    # The page's ids first (the open-cases index alone), then only those rows: sorting
    # whole rows cost a township 15-40 ms at 1M cases (docs/decisions/0017).
    ids = qs.prefetch_related(None).values_list("pk", flat=True)
    page = Paginator(ids, size).get_page(number)
    rows = qs.in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    link = _case_link()
    for case in page.object_list:
        case.page_url = link(case.number)
    return render(
        request,
        "workbench/inbox.html",
        {
            "page": page,
            "states": STATES,
            "state": state,
            "q": q,
            "form": query,
            "done": request.session.pop("workbench_done", ""),
        },
        status=200 if valid else 400,
    )


def _case_link():
    """number -> the case page's URL, as {% url 'workbench:case' number %} gives it: one
    reverse() per page instead of one per row (0.1-0.25 ms each, most of a row's cost)."""
    head = reverse("workbench:case", args=["0"])[: -len("0/")]
    return lambda number: f"{head}{quote(number, safe=RFC3986_SUBDELIMS + '/~:@')}/"


def _intake_allowed(user, item, here) -> bool:
    if item is not None:
        return item_access.can_accept_item_here(user=user, item=item, site=here)
    return access.has_site_perm(user=user, site=here, perm=access.SitePerm.ACT)


def _fields_check(form) -> None:
    """Every field's problem at once (the service stops at the first), so the clerk fixes all."""
    data = form.cleaned_data
    id_problem = id_number_problem(
        (data.get("applicant_id_number") or "").strip().upper(), today=timezone.localdate()
    )
    if id_problem:
        form.add_error("applicant_id_number", id_problem)
    phone = phone_problem((data.get("applicant_phone") or "").strip())
    if phone:
        form.add_error("applicant_phone", phone)
    if not (data.get("applicant_name") or "").strip():
        form.add_error("applicant_name", "请填写申请人姓名。")


def _items_here(here, q: str):
    """What this hall may file, by name: its delegations; the county files every item."""
    current = ItemVersion.objects.filter(item=OuterRef("pk"), number=OuterRef("current_version"))
    items = Item.objects.filter(current_version__gt=0)
    if here.tier != "county":
        items = items.filter(delegations__site=here, delegations__withdrawn_at__isnull=True)
    items = items.annotate(name=Subquery(current.values("name")[:1])).distinct()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return items.order_by("name", "code")


def _material_label(m: dict) -> str:
    if m.get("deferrable"):
        return f"{m['name']}（可容缺，{m['defer_days']} 个工作日内补交）"
    return f"{m['name']}（必交）"


@login_required
def intake(request):
    """收件: pick the item by name, then its material checklist; errors beside each field."""
    here = site_current()
    if not access.may_open_intake(user=request.user, site=here):
        raise access.AccessDenied(access.DENIED_MESSAGE)
    pick = ItemPick(request.POST if request.method == "POST" else request.GET)
    picked = pick.cleaned_data if pick.is_valid() else {}
    code = (picked.get("item_code") or picked.get("item") or "").strip()
    version = item_version_get(code=code) if code else None
    materials = [(m["name"], _material_label(m)) for m in version.materials] if version else []
    form = IntakeForm(
        request.POST if request.method == "POST" else None,
        initial={"item_code": code, "materials": [m for m, _ in materials]},
        material_names=materials,
    )
    status = 200 if pick.is_valid() else 400
    if request.method == "POST":
        item = Item.objects.filter(code=code).first()
        if not _intake_allowed(request.user, item, here):
            raise access.AccessDenied(access.DENIED_MESSAGE)
        if form.is_valid():
            _fields_check(form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_submit(
                    at=data["submitted_at"],
                    by=request.user,
                    item_code=code,
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"],
                    materials=data["materials"],
                    as_supplement=data["as_supplement"],
                    sms_refused=data["sms_refused"],
                )
            except ValidationError as exc:
                for field, message in _errors(exc).items():
                    field = "submitted_at" if field == "at" else field
                    form.add_error(field if field in form.fields else None, message)
            else:
                if case.status == CaseStatus.SUSPENDED:  # 补办件: print 《补办件通知书》
                    return redirect("workbench:notice", number=case.number, kind="supplement")
                return redirect("workbench:case", number=case.number)
        status = 400
    return render(
        request,
        "workbench/intake.html",
        {
            "version": version,
            "code": code,
            "form": form,
            "pick": pick,
            "q": picked.get("q", ""),
            "items": _items_here(here, picked.get("q", ""))[:200],
        },
        status=status,
    )


def _case(request, number, action=AccessAction.VIEW):
    return case_access.access_case(
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
    return case_render(request, _case(request, number))


def case_render(request, case, *, failed: str = "", errors: dict | None = None, status=200):
    """The case page; after a refused action (`failed`) its form is shown again with the posted
    values and the errors beside its fields, the error summary on top (status 400)."""
    may = case_access.can_handle_case(user=request.user, case=case)
    here = site_current()
    actions = actions_available(case=case, here=here, user=request.user) if may else []
    parts = open_parts(case)
    events = list(case.events.all())
    printable = sorted({NOTICE_OF[e.type] for e in events if e.type in NOTICE_OF})
    forms = {
        a.name: action_form(a.name, request.POST if a.name == failed else None, errors)
        for a in actions
    }
    failed_form = forms.get(failed)
    return render(
        request,
        "workbench/case.html",
        {
            "case": case,
            "events": events,
            "actions": actions,
            "action_forms": [(a, forms[a.name]) for a in actions],
            "failed": failed,
            "failed_form": failed_form,
            "notices": [(k, notice_title(case, k)) for k in printable],
            "parts": parts,
            # a supervisor reads the case and may move a part before it stalls (改派)
            "movable": [p for p in parts if can_reassign_part(user=request.user, part=p)]
            if not any(a.name == "reassign" for a in actions)
            else [],
            "opinions": Opinion.choices,
            "targets": _reassign_targets() if parts else {},
            # a refused action without its own form (or a refusal not about one of its
            # fields) is listed in the summary on top
            "errors": {} if failed_form is not None else (errors or {}),
        },
        status=status,
    )


@login_required
@require_POST
def case_act(request, number, name):
    case = _case(request, number, AccessAction.HANDLE)
    offered = actions_available(case=case, here=site_current(), user=request.user)
    allowed = {a.name for a in offered}
    try:
        if name not in allowed:
            raise ValidationError({"action": "当前状态下不能进行该操作。"})
        result = action_perform(name=name, case=case, by=request.user, data=request.POST)
    except ValidationError as exc:
        case = _case(request, number)  # as stored: the service changed nothing
        return case_render(request, case, failed=name, errors=_errors(exc), status=400)
    if name == "accept":
        # The query code exists only now (its hash is stored): POST, redirect, GET: the notice
        # page prints it once from this session; reloading it accepts nothing again.
        request.session[QUERY_CODE_KEY.format(number=case.number)] = result
        return redirect("workbench:notice", number=number, kind="acceptance")
    moved = ACTIONS[name].moves_away
    if moved:  # the case now belongs to another hall: its page is not here
        request.session["workbench_done"] = moved.format(number=number)
        return redirect("workbench:inbox")
    return redirect("workbench:case", number=number)


QUERY_CODE_KEY = "query_code:{number}"


def _reassign_targets() -> dict:
    """Where a part may be moved: the county and township halls, and the departments."""
    return {
        "sites": list(
            Site.objects.filter(tier__in=(Tier.COUNTY, Tier.TOWNSHIP))
            .order_by("path")
            .values_list("code", "name")
        ),
        "departments": list(Department.objects.order_by("code").values_list("code", "name")),
    }


@login_required
def notice(request, number, kind):
    """A4 print of a notice (sites.cases.notices titles it: 准予/不予许可决定书 only for a
    licence, 办结通知书 otherwise)."""
    case = _case(request, number)
    try:
        if kind not in KINDS:
            raise ValidationError({"kind": "未知通知书类型。"})
        key = QUERY_CODE_KEY.format(number=case.number)
        code = request.session.pop(key, None) if kind == "acceptance" else None
        html = notice_render(case=case, kind=kind, query_code=code)
    except ValidationError as exc:
        return render(request, "workbench/error.html", {"errors": _errors(exc)}, status=404)
    return HttpResponse(html)

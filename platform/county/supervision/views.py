"""电子监察 pages: the county's dashboard, Excel exports, the monthly report per hall, the
lights feed and 督办单 (issued at the county, answered at the hall holding the case).
Thin views: county.supervision.access decides, selectors read, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from county.readmodel.models import CaseRecord
from county.rules.selectors import rule_value
from county.supervision import selectors as sel
from county.supervision.access import (
    access_supervision,
    can_answer_order,
    can_issue_order,
    feed_codes,
    hall_feed_codes,
    supervised_codes,
)
from county.supervision.exports import COLUMNS, figures_workbook
from county.supervision.forms import EARLIEST_YEAR, AnswerForm, OrderForm, ScopeQuery
from county.supervision.four_rates import TARGET as FOUR_RATES
from county.supervision.models import AlertLevel, OrderState, SupervisionOrder
from county.supervision.orders import order_answer, order_issue
from permissions.access import DENIED_MESSAGE
from sites.cases.forms import service_messages
from sites.delivery.selectors import delivery_record_statistics
from sites.registry import tier
from sites.registry.models import Site
from sites.registry.selectors import site_current

BY_CHOICES = [("site", "按站点"), ("department", "按部门(窗口)"), ("item", "按事项")]


def _county_only() -> None:
    if not tier.here().keeps_read_model:
        raise Http404("电子监察统计只在县政务服务中心。")


def _scope(request):
    """The site asked for (default: the widest the user supervises), its subtree, the period;
    a bad period is a 400 (the exports)."""
    site, codes, period, problems = _scope_read(request)
    if problems:
        raise BadRequest("；".join(problems.values()))
    return site, codes, period


def _scope_read(request):
    """As _scope, with the problems as {field: message} and this month in place of a bad
    period, so a page can show itself again with the error beside the field."""
    query = ScopeQuery(request.GET)
    problems = {} if query.is_valid() else {k: "；".join(v) for k, v in query.errors.items()}
    site = access_supervision(user=request.user, code=query.value("site") or "county")
    today = timezone.localdate()
    try:
        period = sel.period_parse(
            kind=query.value("kind"), value=query.value("period"), today=today
        )
        if not EARLIEST_YEAR <= period.start.year <= today.year + 1:
            raise ValueError(f"统计期应在 {EARLIEST_YEAR} 年至明年之间。")
    except ValueError as exc:
        kind = query.value("kind")
        problems["kind" if kind and kind not in sel.PERIOD_KINDS else "period"] = str(exc)
        period = sel.period_parse(kind="month", value="", today=today)
    return site, sel.subtree_codes(code=site.code), period, problems


@login_required
def dashboard(request):
    _county_only()
    site, codes, period, problems = _scope_read(request)
    by = ScopeQuery(request.GET).value("by")
    by = by if by in dict(BY_CHOICES) else "site"
    total, rows = sel.figures_with_total(period=period, sites=codes, by=by)
    names = sel.names_for(by)
    for row in rows:
        row["name"] = names.get(row["key"], row["key"])
    context = {
        "site": site,
        "period": period,
        "kind": period.kind,
        "kinds": sel.PERIOD_KINDS,
        "by": by,
        "by_choices": BY_CHOICES,
        "total": total,
        "rows": rows,
        "columns": COLUMNS,
        "four_target": f"{float(rule_value(FOUR_RATES.key)['target']) * 100:g}%",
        "trend": sel.trend(sites=codes, until=period.end, months=12),
        "reds": list(sel.alert_list(sites=codes, level=AlertLevel.OVERDUE)[:20]),
        "yellow_count": sel.alert_list(sites=codes, level=AlertLevel.WARNING).count(),
        "sites": Site.objects.filter(path__startswith=site.path).order_by("path"),
        "period_value": _period_value(period),
        "may_issue": can_issue_order(user=request.user),
        "site_names": dict(Site.objects.values_list("code", "name")),
        "dept_names": sel.names_for("department"),
        "problems": problems,  # shown beside the fields; the figures are this month's
        "typed": ScopeQuery(request.GET).typed("period") if problems else "",
        # 送达 per hall and month (sites.delivery, docs/decisions/0028)
        "deliveries": delivery_record_statistics(sites=codes, start=period.start, end=period.end),
    }
    status = 400 if problems else 200
    return render(request, "supervision/dashboard.html", context, status=status)


def _period_value(period) -> str:
    s = period.start
    return {
        "day": s.isoformat(),
        "month": f"{s:%Y-%m}",
        "quarter": f"{s.year}-Q{(s.month - 1) // 3 + 1}",
        "year": str(s.year),
    }.get(period.kind, "")


@login_required
def export(request):
    _county_only()
    site, codes, period = _scope(request)
    by = ScopeQuery(request.GET).value("by")
    by = by if by in sel.GROUPS else "site"
    total, rows = sel.figures_with_total(period=period, sites=codes, by=by)
    title = f"{site.name}(含下级) {period.label} 办件统计"
    body = figures_workbook(title=title, by=by, rows=rows, total=total, names=sel.names_for(by))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"supervision-{site.code}-{_period_value(period)}-{by}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report(request, code: str, month: str):
    """月报: one hall's month on an A4 page (the hall itself, by department = window)."""
    _county_only()
    site = access_supervision(user=request.user, code=code)
    try:
        period = sel.period_parse(kind="month", value=month[:7], today=timezone.localdate())
        if not EARLIEST_YEAR <= period.start.year <= timezone.localdate().year + 1:
            raise ValueError("月份超出范围。")
    except ValueError as exc:
        raise Http404(str(exc)) from None
    rows = sel.figures(period=period, sites=[site.code], by="department")
    names = sel.names_for("department")
    for row in rows:
        row["name"] = names.get(row["key"], row["key"] or "(未列部门)")
        row["orders_overdue"] = sel.orders_overdue(
            site=site.code, department=row["key"], period=period
        )
    late = CaseRecord.objects.filter(
        was_overdue=True, deadline__gte=period.start, deadline__lte=period.end
    ).filter(owner_site=site.code)[:50]
    context = {
        "site": site,
        "period": period,
        "total": sel.figures(period=period, sites=[site.code]),
        "rows": rows,
        "columns": COLUMNS,
        "late": late,
        "orders_overdue": sel.orders_overdue(site=site.code, department=None, period=period),
        "printed_at": timezone.now(),
    }
    return render(request, "supervision/report.html", context)


@login_required
def alerts(request):
    """预警: the county's lights across the halls supervised; a hall's own at the hall."""
    codes = feed_codes(user=request.user, here=site_current())
    level = ScopeQuery(request.GET).value("level")
    level = level if level in AlertLevel.values else None
    rows = list(sel.alert_list(sites=codes, level=level)[:100])
    return render(
        request,
        "supervision/alerts.html",
        {
            "rows": rows,
            "level": level,
            "levels": AlertLevel.choices,
            "site_names": dict(Site.objects.values_list("code", "name")),
            "dept_names": sel.names_for("department"),
            "may_issue": tier.here().issues_orders and can_issue_order(user=request.user),
        },
    )


@login_required
def orders(request):
    """督办单: at the county those issued (supervised halls); at a hall those sent here."""
    if tier.here().issues_orders and can_issue_order(user=request.user):
        codes = supervised_codes(user=request.user)
    else:
        here = site_current()
        codes = hall_feed_codes(user=request.user, here=here)
        codes = [here.code] if codes else []
    if codes == []:
        raise PermissionDenied(DENIED_MESSAGE)
    state = ScopeQuery(request.GET).value("state")
    state = state if state in OrderState.values else None
    rows = list(sel.order_list(sites=codes, state=state)[:100])
    here = site_current()
    for row in rows:
        row.answerable = row.state == OrderState.OPEN and can_answer_order(
            user=request.user, order=row, here=here
        )
    return render(
        request,
        "supervision/orders.html",
        {
            "rows": rows,
            "state": state,
            "states": OrderState.choices,
            "today": timezone.localdate(),
            "site_names": dict(Site.objects.values_list("code", "name")),
            "dept_names": sel.names_for("department"),
            "may_issue": tier.here().issues_orders and can_issue_order(user=request.user),
        },
    )


@login_required
def order_new(request):
    """督办: a county supervisor orders the window holding a case to decide it."""
    _county_only()
    if not can_issue_order(user=request.user):
        raise PermissionDenied(DENIED_MESSAGE)
    form = OrderForm(request.POST if request.method == "POST" else request.GET)
    valid = form.is_valid()
    number = (form.cleaned_data.get("case") or "").strip() if valid else ""
    codes = supervised_codes(user=request.user)
    record = CaseRecord.objects.filter(number=number).first() if number else None
    if record is not None and codes is not None and record.owner_site not in codes:
        record = None  # not among the halls this supervisor watches: as if unknown
    errors = [] if valid else [m for ms in form.errors.values() for m in ms]
    if request.method == "POST" and valid:
        if record is None:
            errors = [f"未找到办件 {number}。"]
        else:
            try:
                order_issue(
                    case_number=record.number,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as exc:
                errors = service_messages(exc)
            else:
                return redirect("supervision:orders")
    return render(
        request,
        "supervision/order_new.html",
        {
            "record": record,
            "number": number,
            "errors": errors,
            "post": form.data,
            "owner_name": Site.objects.filter(code=record.owner_site)
            .values_list("name", flat=True)
            .first()
            if record
            else "",
        },
    )


@login_required
@require_POST
def order_reply(request, code: str):
    """The window answers at the hall holding the case."""
    here = site_current()
    order = SupervisionOrder.objects.filter(code=code, site_code=here.code).first()
    if order is None or not hall_feed_codes(user=request.user, here=here):
        raise Http404("未找到。")
    if not can_answer_order(user=request.user, order=order, here=here):
        raise PermissionDenied(DENIED_MESSAGE)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        order_answer(order=order, by=request.user, answer=form.cleaned_data["answer"])
    except ValidationError as exc:
        return render(
            request,
            "supervision/orders.html",
            {"rows": [order], "errors": service_messages(exc), "site_names": {}, "dept_names": {}},
            status=400,
        )
    return redirect("supervision:orders")

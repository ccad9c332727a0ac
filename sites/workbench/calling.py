"""叫号 at the window and the hall's waiting statistics: thin views over sites.queueing.

The window a clerk calls from is the one on their staff record, else the one chosen on the
page (kept in the session); it must be a window of this hall.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sites.queueing import selectors, services
from sites.queueing.access import can_call_tickets, can_view_queue_statistics
from sites.queueing.models import Ticket, TicketStatus
from sites.registry.models import Staff, Window
from sites.registry.selectors import site_current
from sites.workbench.forms import StatisticsQuery, TicketAction, WindowChoice

SESSION_WINDOW = "queue_window_id"


def _here_for_calling(request):
    here = site_current()
    if not can_call_tickets(user=request.user, site=here):
        raise PermissionDenied("无权在本大厅叫号。")
    return here


def _window(request, here) -> Window | None:
    staff = Staff.objects.filter(user=request.user).select_related("window").first()
    if staff and staff.window and staff.window.site_id == here.id:
        return staff.window
    chosen = request.session.get(SESSION_WINDOW)
    return Window.objects.filter(pk=chosen, site=here).select_related("department").first()


@login_required
def calling(request):
    here = _here_for_calling(request)
    return render(request, "workbench/calling.html", _calling_context(request, here))


def _calling_context(request, here, form=None) -> dict:
    window = _window(request, here)
    context = {
        "window": window,
        "windows": Window.objects.filter(site=here).select_related("department"),
        "error": request.session.pop("queue_error", ""),
        "form": form,
    }
    if window is not None:
        current = selectors.window_current(window=window)
        last_served = selectors.window_last_served(window=window)
        board = {r["department"].id: r["waiting"] for r in selectors.queue_board(site=here)}
        context.update(
            current=current,
            last_served=last_served,
            last_rating_url=selectors.rating_url(last_served) if last_served else "",
            waiting=sum(board.get(d, 0) for d in window.department_ids()),
            departments=selectors.departments_served(site=here).exclude(
                pk__in=window.department_ids()
            ),
        )
    return context


@login_required
@require_POST
def calling_window(request):
    here = _here_for_calling(request)
    form = WindowChoice(request.POST)
    window = None
    if form.is_valid():
        window = Window.objects.filter(pk=form.cleaned_data["window"], site=here).first()
        if window is None:
            form.add_error("window", "请选择本大厅的窗口。")
    if window is None:
        context = _calling_context(request, here, form)
        return render(request, "workbench/calling.html", context, status=400)
    request.session[SESSION_WINDOW] = window.pk
    return redirect("workbench:calling")


@login_required
@require_POST
def calling_act(request, action: str):
    here = _here_for_calling(request)
    window = _window(request, here)
    if window is None:
        return redirect("workbench:calling")
    form = TicketAction(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(m for ms in form.errors.values() for m in ms))
        ticket_id = form.cleaned_data["ticket"] or 0
        if action == "next":
            services.ticket_call_next(window=window, by=request.user)
        elif action == "recall":
            services.ticket_recall(window=window, ticket_id=ticket_id, by=request.user)
        elif action == "skip":
            services.ticket_skip(window=window, ticket_id=ticket_id, by=request.user)
        elif action == "finish":
            services.ticket_finish(window=window, ticket_id=ticket_id, by=request.user)
        elif action == "transfer":
            department = (
                selectors.departments_served(site=here)
                .filter(code=form.cleaned_data["department"])
                .first()
            )
            if department is None:
                raise ValidationError({"department": "请选择本大厅有窗口的部门。"})
            services.ticket_transfer(
                window=window, ticket_id=ticket_id, department=department, by=request.user
            )
        else:
            raise ValidationError("未知操作。")
    except ValidationError as exc:
        request.session["queue_error"] = " ".join(exc.messages)
    return redirect("workbench:calling")


@login_required
def queue_statistics(request):
    here = site_current()
    if not can_view_queue_statistics(user=request.user, site=here):
        raise PermissionDenied("无权查看本大厅排队统计。")
    query = StatisticsQuery(request.GET)
    try:
        day_from, day_to = selectors.period_from(query.period())
    except ValueError:
        day_from, day_to = selectors.period_from({})
    stats = selectors.queue_statistics(site=here, day_from=day_from, day_to=day_to)
    recent = (
        Ticket.objects.filter(site=here, day__gte=day_from, day__lte=day_to)
        .exclude(status=TicketStatus.WAITING)
        .select_related("department", "window")
        .order_by("-taken_at")[:50]
    )
    return render(
        request,
        "workbench/queue_stats.html",
        {"stats": stats, "day_from": day_from, "day_to": day_to, "recent": recent, "form": query},
        status=200 if query.is_valid() else 400,
    )

"""The citizen's pages of the queue: booking (预约), the kiosk (取号、签到), the ticket, the
hall's big screen (叫号显示). No account; the phone number is shown masked only."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from permissions.auth import address_limited
from sites.cases.forms import service_messages
from sites.cases.identity import mask_phone
from sites.queueing import selectors, services
from sites.queueing.days import hall_day
from sites.queueing.forms import BookingForm, CodePhoneForm, KioskQuery, TakeForm
from sites.queueing.models import Ticket, TicketStatus
from sites.queueing.rules import hours_for
from sites.registry.selectors import site_current

BOOKING_LIMIT = (20, 3600)  # bookings and cancellations per client address and hour
# numbers taken per client address and 10 minutes: a kiosk is one address, so a busy morning
# at one kiosk must pass (a number every 6 s); a script pulling the whole day's numbers not
TAKE_LIMIT = (100, 600)
TOO_OFTEN = "操作过于频繁，请稍后再试。"


def _departments(site):
    return selectors.departments_served(site=site)


def _limited(request, kind: str = "booking", limit: tuple[int, int] = BOOKING_LIMIT) -> bool:
    return address_limited(request, kind=kind, limit=limit)


@require_http_methods(["GET", "POST"])
def booking(request):
    """预约: department, day, slot, phone number."""
    site = site_current()
    departments = list(_departments(site))
    form = BookingForm(request.POST if request.method == "POST" else request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    code = data.get("department") or ""
    department = next((d for d in departments if d.code == code), None)
    context: dict = {
        "departments": departments,
        "department": department,
        "errors": [m for ms in form.errors.values() for m in ms],
    }
    if department is not None:
        days = selectors.booking_days(site=site, department=department)
        day = data.get("day") if request.method == "GET" else None
        day = day if day in days else (days[0] if days else None)
        context.update(days=days, day=day)
        if day is not None:
            context["slots"] = selectors.slots_for_day(site=site, department=department, day=day)
    if request.method == "POST" and department is not None:
        if _limited(request):
            context["errors"] = [TOO_OFTEN]
            return render(request, "queueing/booking.html", context, status=429)
        try:
            starts_at = datetime.fromisoformat(data.get("slot") or "")
            if timezone.is_naive(starts_at):
                raise ValueError
        except ValueError:
            context.update(errors=[], problems={"slot": "请选择预约时段。"})
            context["phone"] = form.data.get("phone", "")[:20]  # as typed, bounded
            return render(request, "queueing/booking.html", context, status=400)
        try:
            appointment = services.appointment_book(
                site=site,
                department=department,
                starts_at=starts_at,
                phone=data["phone"],
                item_code=data["item"],
            )
        except ValidationError as exc:
            # beside the slot or the phone field; anything else in the summary alone
            found = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            problems = {k: " ".join(v) for k, v in found.items() if k in ("slot", "phone")}
            context["errors"] = [m for k, ms in found.items() if k not in problems for m in ms]
            context.update(problems=problems, phone=form.data.get("phone", "")[:20])
            return render(request, "queueing/booking.html", context, status=400)
        return render(
            request,
            "queueing/booked.html",
            {
                "appointment": appointment,
                "phone": mask_phone(appointment.phone),
                "hours": hours_for(site_code=site.code, department_code=department.code),
            },
        )
    return render(request, "queueing/booking.html", context, status=200 if form.is_valid() else 400)


@require_http_methods(["GET", "POST"])
def booking_cancel(request):
    """取消预约 with the code and the phone number."""
    context: dict = {"errors": []}
    if request.method == "POST":
        if _limited(request):
            context["errors"] = [TOO_OFTEN]
            return render(request, "queueing/cancel.html", context, status=429)
        form = CodePhoneForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([m for ms in form.errors.values() for m in ms])
            cancelled = services.appointment_cancel(
                site=site_current(),
                code=form.cleaned_data["code"],
                phone=form.cleaned_data["phone"],
            )
            context["cancelled"] = cancelled
        except ValidationError as exc:
            context["errors"] = service_messages(exc)
    return render(request, "queueing/cancel.html", context)


@require_GET
def kiosk(request):
    """取号机: a large touch page; a department's button takes a number."""
    site = site_current()
    return render(
        request,
        "queueing/kiosk.html",
        {"board": selectors.queue_board(site=site), "error": KioskQuery(request.GET).data_or("e")},
    )


def _kiosk_ticket(request, site, make):
    """Run `make()` for a ticket and show it, or the kiosk again with what went wrong."""
    try:
        ticket = make()
    except ValidationError as exc:
        context = {"board": selectors.queue_board(site=site), "errors": service_messages(exc)}
        return render(request, "queueing/kiosk.html", context, status=400)
    return redirect("queueing:ticket", token=ticket.token)


@require_POST
def kiosk_take(request):
    site = site_current()
    form = TakeForm(request.POST)
    if not form.is_valid():
        raise Http404("请在取号机上选择办事部门。")
    if _limited(request, "take", TAKE_LIMIT):
        context = {"board": selectors.queue_board(site=site), "errors": [TOO_OFTEN]}
        return render(request, "queueing/kiosk.html", context, status=429)
    department = get_object_or_404(_departments(site), code=form.cleaned_data["department"])
    return _kiosk_ticket(
        request, site, lambda: services.ticket_take(site=site, department=department)
    )


@require_POST
def kiosk_check_in(request):
    site = site_current()
    form = CodePhoneForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"code": "", "phone": ""}
    code, phone = data["code"], data["phone"]
    return _kiosk_ticket(
        request,
        site,
        lambda: services.appointment_check_in(site=site, code=code, phone=phone),
    )


@require_GET
def ticket_page(request, token: str):
    """The ticket (printable slip): number, how many ahead, the window once called, and
    after service the rating link."""
    ticket = (
        Ticket.objects.select_related("department", "window")
        .filter(token=token, site=site_current())
        .first()
    )
    if ticket is None:
        raise Http404
    return render(
        request,
        "queueing/ticket.html",
        {
            "ticket": ticket,
            "ahead": selectors.ticket_ahead(ticket),
            "rating_url": selectors.rating_url(ticket),
            # printed on the slip at once (the README's promise): the page says "after service"
            "slip_rating_url": _slip_rating_url(ticket),
            "called": ticket.status == TicketStatus.CALLED,
            # a number left waiting on an earlier day is never called: the day's queue ended
            "expired": ticket.status == TicketStatus.WAITING
            and ticket.day != hall_day(timezone.now()),
        },
    )


def _slip_rating_url(ticket: Ticket) -> str:
    template = getattr(settings, "HALL_QUEUE_RATING_URL", "")
    return template.format(token=ticket.token, label=ticket.label) if template else ""


@require_GET
def display(request):
    """叫号显示屏 for the hall's big screen: polls display_data and speaks new calls."""
    return render(request, "queueing/display.html", {})


@require_GET
def display_data(request):
    site = site_current()
    board = [
        {"name": row["department"].name, "waiting": row["waiting"]}
        for row in selectors.queue_board(site=site)
    ]
    return JsonResponse({"calls": selectors.display_calls(site=site), "board": board})

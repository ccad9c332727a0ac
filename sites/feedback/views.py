"""好差评 and 投诉 pages: the citizen's (number + query code, no account, rate-limited, one
error for unknown and wrong) and the window's rating device (a tablet at the counter)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from permissions.access import NOT_FOUND_MESSAGE, AccessNotFound
from permissions.auth import client_address
from permissions.citizen import NO_ANSWER, TOO_MANY, citizen_rate_limit
from permissions.ratelimit import RateLimited
from sites.cases.models import Case
from sites.feedback import services
from sites.feedback.access import may_rate_at_window, require
from sites.feedback.forms import CitizenFeedbackForm, RatingForm, cleaned
from sites.feedback.models import Channel, Level, Rating
from sites.feedback.selectors import citizen_case_facts, citizen_feedback
from sites.queueing.models import Ticket, TicketStatus
from sites.registry.selectors import site_current

THANKS = "感谢您的评价！"
NO_TICKET = "未找到该排队号，请核对号票上的评价链接或二维码。"
# what the citizen is told is what the complaint's status says (待受理 until the office accepts)
FILED = "投诉已提交，投诉编号 {number}，待受理。请凭办件编号和查询码查看受理情况和处理答复。"


@require_http_methods(["GET", "POST"])
def citizen_page(request):
    """评价与投诉: look up with number + code, then rate once and/or complain."""
    context: dict = {"levels": Level.choices}
    if request.method == "GET":
        return render(request, "feedback/citizen.html", context)
    form = CitizenFeedbackForm(request.POST)
    data = cleaned(form)
    number, code = data["number"].strip(), data["query_code"].strip()
    context.update(number=number, code=code)
    try:
        citizen_rate_limit(address=client_address(request))
    except RateLimited:
        context["error"] = TOO_MANY
        return render(request, "feedback/citizen.html", context, status=429)
    facts = citizen_case_facts(number=number, query_code=code)
    if facts is None:
        context["error"] = NO_ANSWER
        return render(request, "feedback/citizen.html", context)
    action = data["action"]
    concluded = facts.pop("concluded")
    try:
        if action == "rate":
            if not concluded:
                raise ValidationError(services.NOT_CONCLUDED)
            services.rating_give(
                facts=facts,
                level=data["level"],
                channel=Channel.ONLINE,
                comment=data["comment"],
            )
            context["done"] = THANKS
        elif action == "complain":
            complaint_number = services.complaint_file(facts=facts, content=data["content"])
            context["done"] = FILED.format(number=complaint_number)
    except ValidationError as exc:
        context["error"] = "；".join(exc.messages)
    context.update(
        found=True,
        item_name=facts["item_name"],
        concluded=concluded,
        **citizen_feedback(case_number=facts["case_number"]),
    )
    return render(request, "feedback/citizen.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def window_device(request, number: str):
    """一次一评 at the counter: the clerk opens it for the case just served; the applicant taps."""
    case = Case.objects.select_related("owner_site", "item_version").filter(number=number).first()
    if case is None:
        raise AccessNotFound(NOT_FOUND_MESSAGE)
    require(may_rate_at_window(user=request.user, case=case))
    context = {"case": case, "levels": Level.choices}
    if request.method == "POST":
        data = cleaned(RatingForm(request.POST))
        try:
            if case.concluded_at is None:
                raise ValidationError(services.NOT_CONCLUDED)
            services.rating_give(
                facts=services.case_facts(case),
                level=data["level"],
                channel=Channel.WINDOW,
                comment=data["comment"],
            )
            context["done"] = THANKS
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
    return render(request, "feedback/device.html", context)


@require_http_methods(["GET", "POST"])
def ticket_page(request, token: str):
    """一次一评 of a served queue number: the link / QR code on the ticket slip (the token the
    queue gives the ticket). No account; rate-limited; one error for any unknown token."""
    context: dict = {"levels": Level.choices}
    try:
        citizen_rate_limit(address=client_address(request))
    except RateLimited:
        context["error"] = TOO_MANY
        return render(request, "feedback/ticket.html", context, status=429)
    ticket = (
        Ticket.objects.select_related("site", "department", "window__department", "called_by")
        .filter(token=token[:32], site=site_current())
        .first()
    )
    if ticket is None:
        context["error"] = NO_TICKET
        return render(request, "feedback/ticket.html", context, status=404)
    key = services.ticket_facts(ticket)["case_number"]
    context.update(ticket=ticket, rating=Rating.objects.filter(case_number=key).first())
    if request.method == "POST" and context["rating"] is None:
        data = cleaned(RatingForm(request.POST))
        try:
            services.ticket_rating_give(ticket=ticket, level=data["level"], comment=data["comment"])
            context["done"] = THANKS
            context["rating"] = Rating.objects.filter(case_number=key).first()
        except ValidationError as exc:
            context["error"] = "；".join(exc.messages)
    elif request.method == "POST":
        context["error"] = services.TICKET_RATED
    context["served"] = ticket.status == TicketStatus.DONE
    return render(request, "feedback/ticket.html", context)

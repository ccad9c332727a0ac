"""The hall office's pages (county 督查室): bad ratings to follow up and appeals to review,
complaints through their five steps. Thin: look up, check, call one service, redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from permissions.feedback import may_appeal, may_handle_feedback, require
from sites.feedback import services
from sites.feedback.forms import StepForm, cleaned
from sites.feedback.models import BAD_LEVELS, Complaint, Rating


def _error(request, exc: ValidationError) -> None:
    request.session["feedback_error"] = "；".join(exc.messages)


@login_required
def rating_list(request):
    require(may_handle_feedback(user=request.user))
    ratings = Rating.objects.filter(level__in=BAD_LEVELS).order_by("-given_at")[:200]
    return render(
        request,
        "feedback/office_ratings.html",
        {
            "ratings": ratings,
            "today": timezone.localdate(),
            "error": request.session.pop("feedback_error", None),
        },
    )


@login_required
@require_POST
def rating_step(request, pk: int):
    require(may_handle_feedback(user=request.user))
    rating = get_object_or_404(Rating, pk=pk)
    data = cleaned(StepForm(request.POST))
    step, text = data["step"], data["text"]
    try:
        if step in ("contact", "rectify", "reply"):
            services.rating_follow(rating=rating, step=step, text=text, by=request.user)
        elif step == "appeal":
            services.rating_appeal(rating=rating, reason=text, by=request.user)
        elif step in ("appeal_upheld", "appeal_rejected"):
            services.rating_appeal_decide(
                rating=rating, upheld=step == "appeal_upheld", decision=text, by=request.user
            )
        else:
            raise ValidationError("未知的操作")
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:ratings")


@login_required
def complaint_list(request):
    require(may_handle_feedback(user=request.user))
    return render(
        request,
        "feedback/office_complaints.html",
        {
            "complaints": Complaint.objects.all()[:200],
            "today": timezone.localdate(),
            "error": request.session.pop("feedback_error", None),
        },
    )


@login_required
@require_POST
def complaint_step(request, pk: int):
    require(may_handle_feedback(user=request.user))
    complaint = get_object_or_404(Complaint, pk=pk)
    data = cleaned(StepForm(request.POST))
    upheld = {"yes": True, "no": False}.get(data["upheld"])
    try:
        services.complaint_advance(
            complaint=complaint,
            step=data["step"],
            text=data["text"],
            upheld=upheld,
            by=request.user,
        )
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:complaints")


@login_required
@require_POST
def rating_appeal_by_window(request, pk: int):
    """The window rated asks for 申诉复核 from its own points page."""
    from county.assessment.models import AssessedWindow

    rating = get_object_or_404(Rating, pk=pk)
    data = cleaned(StepForm(request.POST))
    window = get_object_or_404(AssessedWindow, pk=data["window"] or 0)
    require(
        may_appeal(user=request.user, site_code=window.site_code, number=window.number)
        and rating.window_site == window.site_code
        and rating.window_number == window.number
    )
    try:
        services.rating_appeal(rating=rating, reason=data["text"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:window", pk=window.pk)

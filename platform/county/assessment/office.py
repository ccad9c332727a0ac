"""The hall office's pages (county 督查室): bad ratings to follow up and appeals to review,
complaints through their five steps. Thin: look up, check, call one service, redirect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from county.assessment import feedback as assess
from county.assessment.models import AssessedWindow
from sites.feedback.access import may_appeal, may_handle_feedback, require
from sites.feedback.forms import (
    ComplaintActionForm,
    ComplaintAssignForm,
    ComplaintFindingForm,
    DepartmentAnswerForm,
    RatingVerifyForm,
    StepForm,
    cleaned,
)
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
            assess.rating_follow(rating=rating, step=step, text=text, by=request.user)
        elif step == "appeal":
            assess.rating_appeal(rating=rating, reason=text, by=request.user)
        elif step in ("appeal_upheld", "appeal_rejected"):
            assess.rating_appeal_decide(
                rating=rating, upheld=step == "appeal_upheld", decision=text, by=request.user
            )
        else:
            raise ValidationError("未知的操作")
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:ratings")


def _service_errors(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@login_required
def rating_verify(request, pk: int):
    """回访核实 of a bad rating: no point moves until the office has verified it."""
    require(may_handle_feedback(user=request.user))
    rating = get_object_or_404(Rating, pk=pk, level__in=BAD_LEVELS)
    form = RatingVerifyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                assess.rating_verify(
                    rating=rating,
                    upheld=data["upheld"] == "yes",
                    staff_fault=data["staff_fault"],
                    note=data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                return redirect("assessment:ratings")
        status = 400
    return render(
        request,
        "feedback/office_rating_verify.html",
        {"rating": rating, "form": form},
        status=status,
    )


_COMPLAINT_FORMS = {
    "assign": ComplaintAssignForm,
    "answer": DepartmentAnswerForm,
    "dispose": ComplaintFindingForm,
}


def _complaint_act(complaint, action: str, data: dict, by) -> None:
    if action == "assign":
        assess.complaint_assign(complaint=complaint, by=by)
    elif action == "answer":
        assess.complaint_department_answer(complaint=complaint, text=data["answer"], by=by)
    else:
        assess.complaint_advance(
            complaint=complaint,
            step="dispose",
            text=data["disposal"],
            upheld=data["upheld"] == "yes",
            serious=data["serious"],
            by=by,
        )


@login_required
def complaint_handle(request, pk: int):
    """One complaint: 交办 to its department, the department's answer, 查实 (处置)."""
    require(may_handle_feedback(user=request.user))
    complaint = get_object_or_404(Complaint, pk=pk)
    forms = {name: form_class() for name, form_class in _COMPLAINT_FORMS.items()}
    status = 200
    if request.method == "POST":
        action = ComplaintActionForm(request.POST).action_name()
        form_class = _COMPLAINT_FORMS.get(action, ComplaintAssignForm)
        form = forms[action if action in forms else "assign"] = form_class(request.POST)
        if action not in forms:
            form.add_error(None, "未知的操作")
        elif form.is_valid():
            try:
                _complaint_act(complaint, action, form.cleaned_data, request.user)
            except ValidationError as exc:
                _service_errors(form, exc)
            else:
                return redirect("assessment:complaint-handle", pk=complaint.pk)
        status = 400
    return render(
        request,
        "feedback/office_complaint.html",
        {
            "complaint": complaint,
            "forms": forms,
            "today": timezone.localdate(),
            "may_dispose": complaint.step == "investigated",
        },
        status=status,
    )


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
        assess.complaint_advance(
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
    rating = get_object_or_404(Rating, pk=pk)
    data = cleaned(StepForm(request.POST))
    window = get_object_or_404(AssessedWindow, pk=data["window"] or 0)
    require(
        may_appeal(user=request.user, site_code=window.site_code, number=window.number)
        and rating.window_site == window.site_code
        and rating.window_number == window.number
    )
    try:
        assess.rating_appeal(rating=rating, reason=data["text"], by=request.user)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("assessment:window", pk=window.pk)

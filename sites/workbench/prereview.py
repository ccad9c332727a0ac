"""预审 of online applications in the workbench: the list, one application with its files
(served only here, to the hall's staff), take in as a case or return with what is missing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from county.catalogue import access as item_access
from sites.cases.identity import mask_id_number, mask_phone
from sites.online import services
from sites.online.models import Application, ApplicationFile, ApplicationStatus
from sites.queueing.access import can_prereview
from sites.registry.selectors import site_current
from sites.workbench.forms import PrereviewAction, PrereviewQuery


def _here(request):
    here = site_current()
    if not can_prereview(user=request.user, site=here):
        raise PermissionDenied("无权预审本大厅的网上申报。")
    return here


def _application(here, number: str) -> Application:
    return get_object_or_404(
        Application.objects.select_related("item_version__item", "item_version__department"),
        site=here,
        number=number,
    )


@login_required
def prereview_list(request):
    here = _here(request)
    query = PrereviewQuery(request.GET)
    status = query.cleaned_data.get("status") if query.is_valid() else ""
    status = status if status in ApplicationStatus.values else ApplicationStatus.SUBMITTED
    rows = (
        Application.objects.filter(site=here, status=status)
        .select_related("item_version")
        .order_by("submitted_at")[:200]
    )
    return render(
        request,
        "workbench/prereview_list.html",
        {"rows": rows, "status": status, "statuses": ApplicationStatus.choices},
    )


@login_required
def prereview_page(request, number: str):
    here = _here(request)
    application = _application(here, number)
    return render(
        request,
        "workbench/prereview.html",
        {
            "application": application,
            "id_number": mask_id_number(application.applicant_id_number),
            "phone": mask_phone(application.applicant_phone),
            "files": application.files.all(),
            "received": {f.material for f in application.files.all()},
            "error": request.session.pop("prereview_error", ""),
            "query_code": request.session.pop("prereview_code", ""),
        },
    )


@login_required
def prereview_file(request, number: str, file_id: int):
    here = _here(request)
    application = _application(here, number)
    stored = ApplicationFile.objects.filter(pk=file_id, application=application).first()
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def prereview_act(request, number: str, action: str):
    here = _here(request)
    application = _application(here, number)
    names = [m["name"] for m in application.item_version.materials]
    form = PrereviewAction(request.POST, material_names=[(n, n) for n in names])
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(m for ms in form.errors.values() for m in ms))
        data = form.cleaned_data
        if action == "take_in":
            if not item_access.can_accept_item_here(
                user=request.user, item=application.item_version.item, site=here
            ):
                raise PermissionDenied("无权在本大厅受理该事项。")
            _, code = services.application_take_in(
                application=application,
                by=request.user,
                materials=data["materials"],
            )
            request.session["prereview_code"] = code
        elif action == "return":
            services.application_return(
                application=application,
                by=request.user,
                missing=data["missing"].splitlines(),
                note=data["note"],
            )
        else:
            raise Http404
    except ValidationError as exc:
        request.session["prereview_error"] = " ".join(exc.messages)
    return redirect("workbench:prereview", number=number)

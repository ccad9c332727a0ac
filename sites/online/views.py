"""网上申报 for citizens: the item's form with uploads, the receipt, the status query."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from county.catalogue.selectors import item_version_get
from permissions.auth import address_limited, client_address
from permissions.citizen import NO_ANSWER, TOO_MANY, citizen_rate_limit
from permissions.ratelimit import RateLimited
from sites.cases.forms import problems, service_errors
from sites.cases.querycode import query_code_hash, query_code_matches
from sites.online import services
from sites.online.forms import ApplyForm, StatusForm
from sites.online.models import Application
from sites.online.rules import uploads_for
from sites.registry.selectors import site_current

# online applications per client address and hour: a family files a few; a script, hundreds
APPLY_LIMIT = (20, 3600)


@require_http_methods(["GET", "POST"])
def apply(request, code: str):
    site = site_current()
    version = item_version_get(code=code)
    if version is None:
        raise Http404
    rule = uploads_for(site_code=site.code)
    accept = ",".join(f".{t.strip()}" for t in str(rule["types"]).split(",") if t.strip())
    context = {
        "version": version,
        "rule": rule,
        "accept": accept,
        "errors": {},
        "form": ApplyForm(request.POST if request.method == "POST" else None),
    }
    if request.method == "POST":
        limit = int(rule["max_files"]) * int(rule["max_file_mb"]) * 1024 * 1024 + 65536
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > limit:
            context["errors"] = {"files": "上传的文件总量过大。"}
            context["form"].refusal_show(context["errors"])
            return render(request, "online/apply.html", context, status=413)
        uploads = [
            (m["name"], f)
            for i, m in enumerate(version.materials)
            for f in request.FILES.getlist(f"file-{i}")
        ]
        form = context["form"]
        if address_limited(request, kind="online", limit=APPLY_LIMIT):
            context["errors"] = {"general": TOO_MANY}
            form.refusal_show(context["errors"])
            return render(request, "online/apply.html", context, status=429)
        try:
            if not form.is_valid():
                raise ValidationError(problems(form))
            application, receipt_code = services.application_file(
                site=site,
                item_code=code,
                uploads=uploads,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            context["errors"] = service_errors(exc)
            form.refusal_show(context["errors"])
            return render(request, "online/apply.html", context, status=400)
        return render(
            request, "online/receipt.html", {"application": application, "code": receipt_code}
        )
    return render(request, "online/apply.html", context)


@require_http_methods(["GET", "POST"])
def status(request):
    """The citizen asks with the receipt's number and code: one answer for both failures."""
    context: dict = {}
    if request.method == "POST":
        form = StatusForm(request.POST)
        number, code = form.pair() if form.is_valid() else ("", "")
        try:
            citizen_rate_limit(address=client_address(request))
        except RateLimited:
            context["error"] = TOO_MANY
            return render(request, "online/status.html", context, status=429)
        found = Application.objects.filter(number=number, site=site_current()).first()
        if found is None:
            query_code_hash(number=number, code=code)  # the same work as a real check
        elif query_code_matches(number=number, code=code, stored=found.code_hash):
            context["application"] = found
            if found.query_code_once:
                context["query_code"] = services.application_status_seen(application=found)
        if "application" not in context:
            context["error"] = NO_ANSWER
    return render(request, "online/status.html", context)

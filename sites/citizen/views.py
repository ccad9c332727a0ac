"""群众办件查询: the citizen page every hall serves (works on a phone).

A township or village hall asks the county, which knows every hall's cases; when the county
cannot be reached, or has not yet heard of the case (the hall was offline), the hall answers
from its own data and says so.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from permissions.auth import client_address
from permissions.citizen import NO_ANSWER, TOO_MANY, citizen_request_limit
from permissions.ratelimit import RateLimited
from sites.cases.access import citizen_case_answer, citizen_case_lookup
from sites.cases.models import CaseStatus
from sites.citizen.county_client import (
    CountyUnreachable,
    county_case_status,
    county_case_status_here,
)
from sites.citizen.forms import CaseQueryForm
from sites.delivery.citizen import delivery_answer, result_download
from sites.registry.tier import here

LOCAL_NOTE = "县级中心暂时无法连接，以下为本站记录，可能不是最新进度。"
LOCAL_NEWER_NOTE = "县级中心尚未收到本站最新消息，以下为本站记录。"


def _ask_county(request, number: str, code: str):
    if not here().asks_county:
        return county_case_status_here(request, number=number, query_code=code)
    return county_case_status(number=number, query_code=code, citizen=client_address(request))


def _local(number: str, code: str) -> dict | None:
    case = citizen_case_lookup(number=number, query_code=code)
    if case is None:
        return None
    answer = citizen_case_answer(case)
    steps = [
        {"label": e.get_type_display(), "at": e.at, "hall": e.site.name}
        for e in case.events.select_related("site").order_by("seq")
        if e.type != "assigned"
    ]
    return {
        "number": answer["number"],
        "itemName": answer["item"],
        "statusLabel": answer["status_label"],
        "outcomeLabel": answer["outcome_label"],
        "hall": answer["site"],
        "hallTier": case.owner_site.get_tier_display(),
        "acceptedOn": answer["accepted_on"],
        "promisedOn": answer["deadline"],
        "promisedProvisional": case.deadline_provisional,
        "steps": steps,
    }


@require_http_methods(["GET", "POST"])
def case_status_page(request):
    context: dict = {"now": timezone.now()}
    if request.method == "POST":
        number, code = CaseQueryForm(request.POST).pair()
        context["number"] = number
        context["query_code"] = code
        try:
            citizen_request_limit(request, address=client_address(request))
        except RateLimited:
            context["error"] = TOO_MANY
            return render(request, "citizen/case_status.html", context, status=429)
        if request.POST.get("download"):  # 电子送达 (sites.delivery)
            response = result_download(number=number, query_code=code)
            if response is not None:
                return response
            context["error"] = NO_ANSWER
            return render(request, "citizen/case_status.html", context, status=400)
        try:
            answer, message = _ask_county(request, number, code)
            note = None
            if answer is None and here().asks_county:
                answer, note = _local(number, code), LOCAL_NEWER_NOTE
        except CountyUnreachable:
            answer, message, note = _local(number, code), None, LOCAL_NOTE
        context.update(answer=answer, note=note if answer else None)
        concluded = answer is not None and (
            answer.get("deliveryStatusLabel")
            or answer.get("statusLabel") == CaseStatus.CONCLUDED.label
        )
        if concluded:  # 送达: this hall's own record, else what the county heard
            context["delivery"] = delivery_answer(number=number, query_code=code) or (
                {"statusLabel": answer["deliveryStatusLabel"]}
                if answer.get("deliveryStatusLabel")
                else None
            )
        if answer is None:
            context["error"] = message if message == TOO_MANY else NO_ANSWER
    return render(request, "citizen/case_status.html", context)

"""The county answers a hall about its own assessment (signed request, no session), as it
answers a hall about the cases filed there (county.readmodel.views.followed)."""

from __future__ import annotations

import json
from datetime import datetime

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from county.assessment.hall_view import hall_assessment
from sync.keys import REQUEST_MAX_AGE_SECONDS, REQUEST_SIGNATURE_HEADER, request_verified

MAX_BODY = 4_000


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt  # no session: the hall's signature is the credential
@require_POST
def hall_assessment_view(request) -> HttpResponse:
    body = request.body
    if len(body) > MAX_BODY:
        return _refused("请求过大。", 413)
    try:
        data = json.loads(body)
        site, username = str(data["site"])[:40], str(data.get("username") or "")[:150]
        year, month = int(data["year"]), int(data["month"])
        age = abs((timezone.now() - datetime.fromisoformat(data["at"])).total_seconds())
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except (ValueError, KeyError, TypeError, OverflowError):
        return _refused("请求格式不正确。", 400)
    sig = request.headers.get(REQUEST_SIGNATURE_HEADER, "")
    if not request_verified(site=site, body=body, sig=sig) or age > REQUEST_MAX_AGE_SECONDS:
        return _refused("签名无效或已过期。", 403)
    answer = hall_assessment(site=site, username=username, year=year, month=month)
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})

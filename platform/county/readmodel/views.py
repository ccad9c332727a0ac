"""The county answers a hall about the cases filed there (signed request, no session)."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from county.readmodel.selectors import FOLLOW_MAX, records_followed
from sync.keys import REQUEST_MAX_AGE_SECONDS, REQUEST_SIGNATURE_HEADER, request_verified

MAX_BODY = 16_000


def _refused(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt  # no session: the hall's signature is the credential
@require_POST
def followed(request) -> HttpResponse:
    body = request.body
    if len(body) > MAX_BODY:
        return _refused("请求过大。", 413)
    try:
        data = json.loads(body)
        site, numbers = str(data["site"]), [str(n) for n in data["numbers"]][:FOLLOW_MAX]
        age = abs((timezone.now() - datetime.fromisoformat(data["at"])).total_seconds())
    except (ValueError, KeyError, TypeError):
        return _refused("请求格式不正确。", 400)
    sig = request.headers.get(REQUEST_SIGNATURE_HEADER, "")
    if not request_verified(site=site, body=body, sig=sig) or age > REQUEST_MAX_AGE_SECONDS:
        return _refused("签名无效或已过期。", 403)
    rows = records_followed(site=site, numbers=numbers)
    return JsonResponse({"cases": rows}, encoder=DjangoJSONEncoder)

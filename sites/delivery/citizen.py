"""送达 at the citizen query (/chaxun/): the result's delivery state (待领取/已领取/已寄出)
and 电子送达, the result notice to download, both only with the case number and query
code (permissions.citizen decides), from this hall's own record of the delivery."""

from __future__ import annotations

from django.http import HttpResponse

from sites.cases.access import citizen_case_lookup
from sites.cases.models import CaseStatus
from sites.cases.notices import notice_render
from sites.delivery.models import Delivery
from sites.delivery.services import delivery_downloaded


def _delivery(number: str, code: str) -> Delivery | None:
    case = citizen_case_lookup(number=number, query_code=code)
    if case is None or case.status != CaseStatus.CONCLUDED:
        return None
    return Delivery.objects.filter(case=case).select_related("case", "site").first()


def delivery_answer(*, number: str, query_code: str) -> dict | None:
    """What the citizen sees of the delivery; no personal data (tracking number only)."""
    delivery = _delivery(number, query_code)
    if delivery is None:
        return None
    return {
        "statusLabel": delivery.get_status_display(),
        "methodLabel": delivery.get_method_display() if delivery.method else "",
        "hall": delivery.site.name,
        "collectBy": delivery.collect_by,
        "deliveredAt": delivery.delivered_at,
        "carrier": delivery.carrier,
        "trackingNumber": delivery.tracking_number,
        "downloadable": True,
    }


def result_download(*, number: str, query_code: str) -> HttpResponse | None:
    """电子送达: the decision notice as a file (without the query code); the first
    download is recorded."""
    delivery = _delivery(number, query_code)
    if delivery is None:
        return None
    html = notice_render(case=delivery.case, kind="decision", pickup=False)
    delivery_downloaded(delivery=delivery)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    name = f"result-{delivery.case.number}.html"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

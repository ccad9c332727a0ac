"""Printable notices the applicant keeps (Chinese HTML)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from county.catalogue.models import HandlingType
from sites.cases.identity import mask_id_number, mask_phone
from sites.cases.models import Case, CaseStatus, EventType

# kind -> (title, the event the notice is about, statuses in which it may be printed)
KINDS = {
    "acceptance": ("受理通知书", EventType.ACCEPTED),
    "supplement": ("补正材料通知书(一次性告知)", EventType.SUPPLEMENT_REQUESTED),
    "return": ("退办件通知书", EventType.RETURNED),
    "refusal": ("不予受理通知书", EventType.REFUSED),
}


def notice_title(case: Case, kind: str) -> str:
    if kind == "acceptance" and case.item_version.handling_type != HandlingType.INSTANT:
        return "承诺件通知书"
    return KINDS[kind][0]


def notice_render(*, case: Case, kind: str, query_code: str | None = None) -> str:
    """The notice as HTML. The query code is printed only when given (right after acceptance)."""
    if kind not in KINDS:
        raise ValidationError({"kind": f"未知通知书类型：{kind}。"})
    event = case.events.filter(type=KINDS[kind][1]).order_by("-seq").first()
    if event is None:
        raise ValidationError({"kind": f"该办件没有可打印的{KINDS[kind][0]}。"})
    return render_to_string(
        "cases/notice.html",
        {
            "case": case,
            "kind": kind,
            "title": notice_title(case, kind),
            "event": event,
            "version": case.item_version,
            "id_number": mask_id_number(case.applicant_id_number),
            "phone": mask_phone(case.applicant_phone),
            "query_code": query_code,
            "promised": case.item_version.handling_type != HandlingType.INSTANT,
            "active": case.status not in (CaseStatus.WITHDRAWN,),
        },
    )

"""Printable notices the applicant keeps (Chinese HTML)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from county.catalogue.models import HandlingType, ItemKind
from sites.cases.identity import mask_id_number, mask_phone
from sites.cases.models import Case, CaseStatus, EventType, Outcome

# kind -> (default title, the event the notice is about). Titles follow seed 001 第十条:
# one notice per case type (承诺件/联办件/上报件/退办件/补办件通知书); a decision is a
# 准予/不予许可决定书 only for a licence (行政许可), an 办结通知书 otherwise.
KINDS = {
    "acceptance": ("受理通知书", EventType.ACCEPTED),
    "supplement": ("补办件通知书", EventType.SUPPLEMENT_REQUESTED),
    "return": ("退办件通知书", EventType.RETURNED),
    "refusal": ("不予受理通知书", EventType.REFUSED),
    "decision": ("办结通知书", EventType.DECIDED),
}

ACCEPTANCE_TITLES = {
    HandlingType.INSTANT: "受理通知书",
    HandlingType.PROMISED: "承诺件通知书",
    HandlingType.JOINT: "联办件通知书",
    HandlingType.ESCALATED: "上报件通知书",
}


def notice_title(case: Case, kind: str) -> str:
    version = case.item_version
    if kind == "acceptance":
        return ACCEPTANCE_TITLES.get(version.handling_type, KINDS[kind][0])
    if kind == "decision" and version.kind == ItemKind.LICENCE:
        return "准予许可决定书" if case.outcome == Outcome.APPROVED else "不予许可决定书"
    return KINDS[kind][0]


def notice_render(
    *, case: Case, kind: str, query_code: str | None = None, pickup: bool = True
) -> str:
    """The notice as HTML. The query code is printed only when given (right after acceptance);
    the pickup code (送达) on the decision unless `pickup` is off (the citizen's download)."""
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
            "licence": case.item_version.kind == ItemKind.LICENCE,
            "approved": case.outcome == Outcome.APPROVED,
            "active": case.status not in (CaseStatus.WITHDRAWN,),
            # 送达 (sites.delivery): the pickup code asked at the window with the ID card
            "delivery": getattr(case, "delivery", None) if kind == "decision" and pickup else None,
        },
    )

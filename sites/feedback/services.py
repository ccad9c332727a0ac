"""Writes of 好差评 and 投诉 at a hall (keyword-only). Ratings and complaints taken at a hall
travel to the county as messages (outbound.py); the county applies them and runs the
follow-up, the appeal, the complaint steps and the points (county.assessment.feedback,
county.assessment.appliers). The county's answers come back here (answer_apply)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.rules.selectors import rule_value
from county.workdays.selectors import add_working_days
from sites.feedback import outbound
from sites.feedback.models import (
    Channel,
    Complaint,
    ComplaintStep,
    FollowUp,
    Level,
    Rating,
    ticket_key,
)
from sites.feedback.rules import COMPLAINTS
from sites.queueing.models import TicketStatus

ALREADY_RATED = "该办件已评价，一件事只评一次。"


NOT_CONCLUDED = "办件尚未办结，办结后才能评价。"


TICKET_RATED = "该号已评价，一次服务只评一次。"


TICKET_NOT_SERVED = "该号尚未办理完毕，办理结束后才能评价。"


def _who(by) -> str:
    if by is None:
        return ""
    staff = getattr(by, "staff", None)
    return getattr(staff, "name", "") or getattr(by, "username", "")


def case_facts(case) -> dict:
    """What a rating or complaint carries about the case's window and clerk."""
    window = case.window
    clerk = case.clerk
    staff = getattr(clerk, "staff", None) if clerk else None
    if window is None and staff is not None:
        window = staff.window
    facts = {
        "case_number": case.number,
        "item_name": case.item_version.name,
        "window_site": case.owner_site.code,
        "window_site_name": case.owner_site.name,
        "window_number": "",
        "window_name": "",
        "department_code": case.item_version.department.code,
        "department_name": case.item_version.department.name,
        "staff_username": clerk.username if clerk else "",
        "staff_name": staff.name if staff else "",
    }
    if window is not None:
        facts.update(
            window_site=window.site.code,
            window_site_name=window.site.name,
            window_number=window.number,
            window_name=window.name,
        )  # the case's own department, even at a 综合窗口 (issue 26)
    return facts


def ticket_facts(ticket) -> dict:
    """What a rating of a served queue number carries: the window that served it, its
    department and the clerk who called it (the ticket carries no case: 一次一评)."""
    window = ticket.window
    user = ticket.called_by
    staff = getattr(user, "staff", None) if user else None
    department = ticket.department  # the queue's department, even at a 综合窗口 (issue 26)
    return {
        "case_number": ticket_key(
            site_code=ticket.site.code, day=ticket.day, label=ticket.label, ticket_id=ticket.pk
        ),
        "ticket_label": ticket.label,
        "item_name": f"排队办事({department.name})",
        "window_site": ticket.site.code,
        "window_site_name": ticket.site.name,
        "window_number": window.number if window else "",
        "window_name": window.name if window else "",
        "department_code": department.code,
        "department_name": department.name,
        "staff_username": user.username if user else "",
        "staff_name": staff.name if staff else "",
    }


def ticket_rating_give(*, ticket, level: str, comment: str = "", at=None) -> dict:
    """一次一评 of a queue number served at this hall (the link or QR code on the slip):
    once per ticket, through rating_give like every other rating."""
    if ticket.site.code != settings.HALL_SITE:
        raise ValidationError(TICKET_NOT_SERVED)
    if ticket.status != TicketStatus.DONE:
        raise ValidationError(TICKET_NOT_SERVED)
    try:
        return rating_give(
            facts=ticket_facts(ticket), level=level, channel=Channel.QUEUE, comment=comment, at=at
        )
    except ValidationError as exc:
        if ALREADY_RATED in exc.messages:
            raise ValidationError(TICKET_RATED) from None
        raise


def rating_give(*, facts: dict, level: str, channel: str, comment: str = "", at=None) -> dict:
    """Rate a concluded case once. Kept here and sent to the county (exactly once there:
    the inbox and the unique case number)."""
    if level not in Level.values:
        raise ValidationError("请选择评价等级")
    if channel not in (Channel.WINDOW, Channel.ONLINE, Channel.QUEUE):
        raise ValidationError("未知的评价渠道")
    at = at or timezone.now()
    here = settings.HALL_SITE
    payload = {
        **{k: str(v or "")[:100] for k, v in facts.items()},
        "level": level,
        "channel": channel,
        "comment": (comment or "").strip()[:300],
        "given_at": at.isoformat(),
        "given_site": here,
    }
    with transaction.atomic():
        if Rating.objects.filter(case_number=facts["case_number"]).exists():
            raise ValidationError(ALREADY_RATED)
        if outbound.fanin() != here:  # at the county the applier below writes the row
            _rating_row(payload)
        outbound.rating_send(payload=payload)
    return payload


def _rating_row(payload: dict) -> tuple[Rating, bool]:
    fields = {f.name for f in Rating._meta.get_fields()}
    values = {k: v for k, v in payload.items() if k in fields and k != "case_number"}
    values["given_at"] = datetime.fromisoformat(payload["given_at"])
    return Rating.objects.get_or_create(case_number=payload["case_number"], defaults=values)


def answer_apply(*, payload: dict) -> bool:
    """The county's progress on a rating given or a complaint filed here; False if unknown."""
    at = datetime.fromisoformat(payload["at"])
    if payload["kind"] == "rating":
        rating = Rating.objects.filter(case_number=payload["key"]).first()
        if rating is None or payload["state"] not in FollowUp.values:
            return False
        rating.follow_up, rating.reply = payload["state"], payload["reply"][:300]
        if payload["state"] == FollowUp.REPLIED:
            rating.replied_at = at
        rating.save(update_fields=["follow_up", "reply", "replied_at"])
        return True
    complaint = Complaint.objects.filter(number=payload["key"]).first()
    if complaint is None or payload["state"] not in ComplaintStep.values:
        return False
    complaint.step, complaint.reply = payload["state"], payload["reply"]
    if payload["state"] == ComplaintStep.REPLIED:
        complaint.replied_at = at
    complaint.save(update_fields=["step", "reply", "replied_at"])
    return True


def complaint_file(*, facts: dict, content: str, at=None) -> str:
    """File a complaint at this hall; it is handled at the county. Returns its number."""
    content = (content or "").strip()
    if len(content) < 5:
        raise ValidationError("请写明投诉内容(至少5个字)")
    at = at or timezone.now()
    number = complaint_number(at)
    payload = {
        **{k: str(v or "")[:100] for k, v in facts.items() if k != "item_name"},
        "number": number,
        "content": content[:1000],
        "filed_at": at.isoformat(),
        "filed_site": settings.HALL_SITE,
    }
    with transaction.atomic():
        if outbound.fanin() != settings.HALL_SITE:  # a copy here, for the citizen asking here
            complaint_arrive(payload=payload)
        outbound.complaint_send(payload=payload)
    return number


def complaint_number(at) -> str:
    """ "TS<day><6 random hex>", one not used here yet (a repeat would merge two complaints)."""
    while True:
        number = f"TS{timezone.localdate(at):%Y%m%d}{secrets.token_hex(3).upper()}"
        if not Complaint.objects.filter(number=number).exists():
            return number


def complaint_arrive(*, payload: dict) -> Complaint:
    found = Complaint.objects.filter(number=payload["number"]).first()
    if found:
        return found
    rule = rule_value(COMPLAINTS.key)
    filed_at = datetime.fromisoformat(payload["filed_at"])
    day = timezone.localdate(filed_at)
    dues = []
    for key in ("accept_days", "investigate_days", "dispose_days", "reply_days"):
        day = add_working_days(day, int(rule[key])).date
        dues.append(day)
    fields = {f.name for f in Complaint._meta.get_fields()}
    values = {k: v for k, v in payload.items() if k in fields and k != "number"}
    values["filed_at"] = filed_at
    return Complaint.objects.create(
        number=payload["number"],
        **values,
        accept_due=dues[0],
        investigate_due=dues[1],
        dispose_due=dues[2],
        reply_due=dues[3],
    )

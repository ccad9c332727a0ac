"""Writes of 好差评 and 投诉 (keyword-only). Ratings and complaints taken at a hall travel
to the county as messages (outbound.py); the county applies them (appliers.py) and runs the
follow-up, the appeal, the complaint steps and the points (county.assessment)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.assessment.services import (
    points_record,
    points_reverse_source,
    staff_ref,
    window_ref,
)
from county.rules.selectors import rule_value
from county.workdays.selectors import add_working_days, calendar_current
from sites.feedback import outbound
from sites.feedback.models import (
    Appeal,
    Channel,
    Complaint,
    ComplaintStep,
    FollowUp,
    Level,
    Rating,
    ticket_key,
)
from sites.feedback.rules import COMPLAINTS, RATINGS

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
    from sites.queueing.models import TicketStatus

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


def rating_arrive(*, payload: dict, origin: str) -> Rating:
    """At the county: the first rating of a case counts; a bad one opens the follow-up and
    costs the window its points (source: the case number)."""
    rating, created = _rating_row(payload)
    if not created:
        return rating  # redelivered, or rated at another hall as well: the first one stands
    if rating.bad:
        rating_assess(rating=rating)
    return rating


def _window_of(obj) -> tuple:
    number = obj.window_number or f"部门{obj.department_code or '未知'}"
    window = window_ref(
        site_code=obj.window_site or "county",
        number=number,
        name=obj.window_name or obj.department_name,
        site_name=getattr(obj, "window_site_name", ""),
        department_code=obj.department_code,
        department_name=obj.department_name,
    )
    staff = (
        staff_ref(
            site_code=obj.window_site,
            username=obj.staff_username,
            name=obj.staff_name,
            window=window,
        )
        if obj.staff_username
        else None
    )
    return window, staff


def rating_assess(*, rating: Rating) -> None:
    """A bad rating opens the follow-up; no point moves until it is verified
    (`rating_verify`, seed 000 第十三条(六) 「经查证属实的」, 第二十一条(三) 「经查实」)."""
    rule = rule_value(RATINGS.key)
    given_on = timezone.localdate(rating.given_at)
    rating.follow_up = FollowUp.OPEN
    rating.contact_due = add_working_days(given_on, int(rule["contact_days"])).date
    rating.rectify_due = add_working_days(given_on, int(rule["rectify_days"])).date
    rating.save(update_fields=["follow_up", "contact_due", "rectify_due"])
    _window_of(rating)  # the rated window and clerk are known to the assessment from now


def rating_verify(
    *, rating: Rating, upheld: bool, staff_fault: bool, note: str, by, at=None
) -> Rating:
    """回访核实 by the hall office: 经查证属实 costs the window (−10, seed 000 第十三条(六));
    经查实属窗口工作人员责任 costs the person (−2, 第二十一条(三)) — each only when found.
    Once per rating."""
    if not rating.bad:
        raise ValidationError("只有差评需要核实")
    if rating.verified_at is not None:
        raise ValidationError("该差评已核实")
    if not (note or "").strip():
        raise ValidationError("请填写核实情况")
    if staff_fault and not upheld:
        raise ValidationError("不属实的差评不能认定为工作人员责任")
    at = at or timezone.now()
    on = timezone.localdate(at)
    with transaction.atomic():
        rating.verified_at, rating.verified_by = at, _who(by)
        rating.verify_note = note.strip()[:300]
        rating.upheld, rating.staff_fault = upheld, staff_fault
        rating.save(
            update_fields=["verified_at", "verified_by", "verify_note", "upheld", "staff_fault"]
        )
        window, staff = _window_of(rating)
        text = f"{rating.get_level_display()}：{rating.comment}"[:200]
        if upheld:
            points_record(
                window=window,
                rule="dissatisfied_upheld",
                source_type="rating",
                source_id=rating.case_number,
                occurred_on=on,
                note=text,
            )
        if staff_fault and staff is not None:
            points_record(
                window=window,
                staff=staff,
                rule="dissatisfied",
                source_type="rating",
                source_id=rating.case_number,
                occurred_on=on,
                note=text,
            )
    return rating


_FOLLOW = {
    "contact": (FollowUp.OPEN, FollowUp.CONTACTED, "contacted_at", "contact_note"),
    "rectify": (FollowUp.CONTACTED, FollowUp.RECTIFIED, "rectified_at", "rectify_note"),
    "reply": (FollowUp.RECTIFIED, FollowUp.REPLIED, "replied_at", "reply"),
}


def rating_follow(*, rating: Rating, step: str, text: str, by, at=None) -> Rating:
    """回访 → 整改 → 反馈, in that order, each with a note."""
    if step not in _FOLLOW:
        raise ValidationError("未知的整改环节")
    before, after, when_field, text_field = _FOLLOW[step]
    if rating.follow_up != before:
        raise ValidationError("当前环节不能进行此操作")
    if not (text or "").strip():
        raise ValidationError("请填写情况说明")
    rating.follow_up = after
    setattr(rating, when_field, at or timezone.now())
    setattr(rating, text_field, text.strip()[:300])
    with transaction.atomic():
        rating.save()
        outbound.answer_send(
            dest=rating.given_site,
            kind="rating",
            key=rating.case_number,
            state=after,
            reply=rating.reply,
            at=getattr(rating, when_field),
        )
    return rating


def rating_appeal(*, rating: Rating, reason: str, by) -> Rating:
    """申诉复核: the window says the rating is mistaken or malicious."""
    if not rating.bad or rating.appeal:
        raise ValidationError("该评价不能申诉")
    if not (reason or "").strip():
        raise ValidationError("请填写申诉理由")
    rating.appeal, rating.appeal_reason = Appeal.REQUESTED, reason.strip()[:300]
    rating.save(update_fields=["appeal", "appeal_reason"])
    return rating


def rating_appeal_decide(*, rating: Rating, upheld: bool, decision: str, by) -> Rating:
    """The county reviews; an upheld appeal reverses the deduction (traceable reversal)."""
    if rating.appeal != Appeal.REQUESTED:
        raise ValidationError("没有待复核的申诉")
    with transaction.atomic():
        rating.appeal = Appeal.UPHELD if upheld else Appeal.REJECTED
        rating.appeal_decision = (decision or "").strip()[:300]
        rating.save(update_fields=["appeal", "appeal_decision"])
        if upheld:
            points_reverse_source(
                source_type="rating",
                source_id=rating.case_number,
                reason=f"申诉复核成立：{rating.appeal_decision}",
                by=_who(by),
            )
    return rating


def ratings_default(*, today: date | None = None) -> int:
    """Where the county rule says so: a concluded case unrated N working days after its
    conclusion counts as 基本满意 (off by default)."""
    rule = rule_value(RATINGS.key)
    if not rule["default_on"]:
        return 0
    from county.readmodel.models import CaseRecord

    today = today or timezone.localdate()
    calendar = calendar_current()
    made = 0
    rated = Rating.objects.values("case_number")
    for record in CaseRecord.objects.filter(concluded_at__isnull=False).exclude(number__in=rated):
        concluded_on = timezone.localdate(record.concluded_at)
        due = calendar.add_working_days(concluded_on, int(rule["default_after_days"])).date
        if today > due:
            Rating.objects.get_or_create(
                case_number=record.number,
                defaults={
                    "level": Level.FAIR,
                    "channel": Channel.DEFAULT,
                    "given_at": timezone.now(),
                    "given_site": settings.HALL_SITE,
                    "window_site": record.decided_site or record.owner_site,
                    "item_name": record.item_name,
                },
            )
            made += 1
    return made


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


# --- complaints -----------------------------------------------------------------------------


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


_STEPS = {
    "accept": (ComplaintStep.RECEIVED, ComplaintStep.ACCEPTED, "accepted_at", None),
    "investigate": (
        ComplaintStep.ACCEPTED,
        ComplaintStep.INVESTIGATED,
        "investigated_at",
        "findings",
    ),
    "dispose": (ComplaintStep.INVESTIGATED, ComplaintStep.DISPOSED, "disposed_at", "disposal"),
    "reply": (ComplaintStep.DISPOSED, ComplaintStep.REPLIED, "replied_at", "reply"),
    "archive": (ComplaintStep.REPLIED, ComplaintStep.ARCHIVED, "archived_at", None),
}


def complaint_advance(
    *,
    complaint: Complaint,
    step: str,
    by,
    text: str = "",
    upheld: bool | None = None,
    serious: bool = False,
    at=None,
) -> Complaint:
    """One step of 受理 → 调查 → 处置 → 反馈 → 归档. Disposal says whether it is upheld;
    an upheld complaint costs the window (and the person) its points; `serious` marks an
    attitude complaint 情节严重 (seed 000 第二十一条(一))."""
    if step not in _STEPS:
        raise ValidationError("未知的投诉环节")
    before, after, when_field, text_field = _STEPS[step]
    if complaint.step != before:
        raise ValidationError("当前环节不能进行此操作")
    if text_field and not (text or "").strip():
        raise ValidationError("请填写内容")
    if step == "dispose" and upheld is None:
        raise ValidationError("请认定投诉是否属实")
    at = at or timezone.now()
    with transaction.atomic():
        complaint.step = after
        setattr(complaint, when_field, at)
        if text_field:
            setattr(complaint, text_field, text.strip()[:1000])
        complaint.handled_by = _who(by)
        if step == "dispose":
            complaint.upheld = upheld
        complaint.save()
        outbound.answer_send(
            dest=complaint.filed_site,
            kind="complaint",
            key=complaint.number,
            state=after,
            reply=complaint.reply,
            at=at,
        )
        if step == "dispose" and upheld:
            complaint_upheld_points(complaint=complaint, on=timezone.localdate(at), serious=serious)
    return complaint


def complaint_upheld_points(*, complaint: Complaint, on: date, serious: bool = False) -> None:
    """Upheld: the window −10 (seed 000 第十三条(六)); the person complained about −3, or
    −5 if serious (第二十一条(一)), reaching the window only through 第十七条(二)."""
    window, staff = _window_of(complaint)
    points_record(
        window=window,
        rule="complaint_upheld",
        source_type="complaint",
        source_id=complaint.number,
        occurred_on=on,
        note="投诉经查证属实",
    )
    if staff is not None:
        points_record(
            window=window,
            staff=staff,
            rule="complaint_attitude_serious" if serious else "complaint_attitude",
            source_type="complaint",
            source_id=complaint.number,
            occurred_on=on,
            note="投诉经查证属实(工作态度)" + ("，情节严重" if serious else ""),
        )
        staff_flag_if_sent_back(staff=staff, year=on.year)


def staff_flag_if_sent_back(*, staff, year: int) -> bool:
    """Two upheld complaints in a year: the person goes back to their department."""
    from county.assessment.models import PointEntry
    from county.assessment.rules import AWARDS

    limit = int(rule_value(AWARDS.key)["upheld_complaints_sent_back"])
    count = PointEntry.objects.filter(
        staff=staff,
        rule__in=("complaint_upheld", "complaint_attitude", "complaint_attitude_serious"),
        source_type="complaint",
        reversed_by__isnull=True,
        occurred_on__year=year,
    ).count()
    if count >= limit and not staff.sent_back:
        staff.sent_back = True
        staff.sent_back_note = f"{year}年投诉经查证属实{count}次，退回原单位"
        staff.save(update_fields=["sent_back", "sent_back_note"])
        return True
    return False


def complaint_assign(*, complaint: Complaint, by, at=None) -> Complaint:
    """交办: the centre hands the complaint to the department complained about, which must
    answer within the rule's working days (seed 000 第十三条(五))."""
    if not complaint.department_code:
        raise ValidationError("该投诉没有被投诉部门，不能交办")
    if complaint.assigned_at is not None:
        raise ValidationError("该投诉已交办")
    at = at or timezone.now()
    days = int(rule_value(COMPLAINTS.key)["department_answer_days"])
    complaint.assigned_at = at
    complaint.answer_due = add_working_days(timezone.localdate(at), days).date
    complaint.handled_by = _who(by)
    complaint.save(update_fields=["assigned_at", "answer_due", "handled_by"])
    return complaint


def complaint_department_answer(*, complaint: Complaint, text: str, by, at=None) -> Complaint:
    """The department's answer to a complaint handed to it (办结答复)."""
    if complaint.assigned_at is None:
        raise ValidationError("该投诉未交办部门")
    if complaint.answered_at is not None:
        raise ValidationError("部门已答复")
    if not (text or "").strip():
        raise ValidationError("请填写答复内容")
    complaint.answered_at = at or timezone.now()
    complaint.department_answer = text.strip()[:1000]
    complaint.save(update_fields=["answered_at", "department_answer"])
    return complaint


def complaints_overdue_charge(*, today: date | None = None) -> int:
    """Seed 000 第十三条(五): a complaint the centre handed to a department (交办) and not
    answered by its deadline costs that department −4 each working day late, until the
    answer; one ledger entry per day (a rerun adds nothing). The office's own steps cost
    no window anything (before issue 22 the window paid for the office's lateness)."""
    today = today or timezone.localdate()
    calendar = calendar_current()
    made = 0
    for c in Complaint.objects.filter(answer_due__lt=today, assigned_at__isnull=False):
        end = timezone.localdate(c.answered_at) if c.answered_at else today
        window = None
        day = c.answer_due
        while day < end:
            day += timedelta(days=1)
            if not calendar.is_working_day(day):
                continue
            if window is None:
                window = window_ref(
                    site_code=c.window_site or "county",
                    number=f"部门{c.department_code}",
                    name=c.department_name,
                    department_code=c.department_code,
                    department_name=c.department_name,
                )
            points_record(
                window=window,
                rule="complaint_overdue_day",
                source_type="complaint_overdue",
                source_id=f"{c.number}:{day.isoformat()}",
                occurred_on=day,
                note=f"交办投诉{c.number}部门逾期未办结答复",
            )
            made += 1
    return made

"""The county's work on 好差评 and 投诉 from every hall: a rating's or complaint's arrival,
the follow-up of a bad rating, its verification and appeal, the complaint's five steps, the
department's answer and the points each costs (keyword-only). The hall's half (taking a
rating or complaint, sending it, keeping the county's answer) is sites.feedback.services.
Moved here from sites.feedback so that no hall app imports a county-only one
(docs/decisions/0025-layers.md)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.assessment.models import PointEntry
from county.assessment.rules import AWARDS
from county.assessment.services import (
    points_record,
    points_reverse_source,
    staff_ref,
    window_ref,
)
from county.catalogue.models import Item
from county.readmodel.models import CaseRecord
from county.rules.selectors import rule_value
from county.workdays.selectors import add_working_days, calendar_current
from sites.cases.querycode import query_code_matches
from sites.feedback import outbound
from sites.feedback.models import (
    Appeal,
    Channel,
    Complaint,
    ComplaintStep,
    FollowUp,
    Level,
    Rating,
)
from sites.feedback.rules import COMPLAINTS, RATINGS
from sites.feedback.services import _rating_row, _who


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


def record_case_facts(*, number: str, query_code: str) -> dict | None:
    """The facts of a case handled at another hall, from the county's read model, when
    number and code match (no window then: the department's window at the hall that handled
    it); handed to sites.feedback.selectors at start-up (apps.py)."""
    record = CaseRecord.objects.filter(number=(number or "").strip()[:64]).first()
    if record is None or not query_code_matches(
        number=record.number, code=(query_code or "").strip()[:32], stored=record.query_code_hash
    ):
        return None
    item = Item.objects.select_related("department").filter(code=record.item_code).first()
    return {
        "case_number": record.number,
        "item_name": record.item_name,
        "window_site": record.decided_site or record.owner_site,
        "window_site_name": "",
        "window_number": "",
        "window_name": "",
        "department_code": item.department.code if item else "",
        "department_name": item.department.name if item else "",
        "staff_username": "",
        "staff_name": "",
        "concluded": record.concluded_at is not None,
    }

"""投诉: 受理 → 调查 → 处置 → 反馈 → 归档 with deadlines in working days; each working day
late costs −4 (seed 000 第十三条(五)); upheld −10; two upheld in a year send a person back."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from county.assessment import feedback as assess
from county.assessment.models import AssessedStaff, PointEntry
from sites.feedback import services
from sites.feedback.models import Complaint, ComplaintStep

TZ = ZoneInfo("Asia/Shanghai")


def file(case, at, content="窗口人员态度恶劣，推诿不办"):
    number = services.complaint_file(facts=services.case_facts(case), content=content, at=at)
    return Complaint.objects.get(number=number)


def test_the_steps_have_deadlines_in_working_days(served, db):
    case, _, _ = served
    # filed Friday 25 September 2026: 1 day to accept, 5 to investigate, 2 to dispose, 2 to reply
    c = file(case, datetime(2026, 9, 25, 9, tzinfo=TZ))
    assert c.accept_due == date(2026, 9, 28)
    assert c.investigate_due == date(2026, 10, 10)  # 9-29, 9-30, 10-8, 10-9, 10-10 (worked)
    assert c.dispose_due == date(2026, 10, 13)
    assert c.reply_due == date(2026, 10, 15)


def test_a_department_late_with_a_handed_complaint_loses_four_a_day_over_the_holiday(served, db):
    """seed 000 第十三条(五): 「区行政审批服务中心转给部门处理的群众投诉…有关部门未在规定的
    时限内办结答复的,每逾期1天扣4分」 — charged to the department, not to the window for
    the office's own steps. 交办 Tue 22 September, 5 working days (23, 24, 25 is the
    Mid-Autumn holiday, 28, 29, 30): due Wed 30 September;
    answered Mon 12 October: late on 10-8, 10-9, 10-10 (worked Saturday), 10-12 → −16."""
    case, user, _ = served
    c = file(case, datetime(2026, 9, 21, 9, tzinfo=TZ))
    assess.complaint_assign(complaint=c, by=user, at=datetime(2026, 9, 22, 9, tzinfo=TZ))
    assert c.answer_due == date(2026, 9, 30)
    assess.complaint_department_answer(
        complaint=c, text="已整改", by=user, at=datetime(2026, 10, 12, 10, tzinfo=TZ)
    )
    charged = assess.complaints_overdue_charge(today=date(2026, 10, 20))
    assert charged == 4
    entries = PointEntry.objects.filter(source_type="complaint_overdue")
    assert sorted(e.occurred_on.isoformat() for e in entries) == [
        "2026-10-08",
        "2026-10-09",
        "2026-10-10",
        "2026-10-12",
    ]
    assert sum(e.points for e in entries) == -16
    assert {e.window.number for e in entries} == {f"部门{c.department_code}"}
    assess.complaints_overdue_charge(today=date(2026, 10, 21))
    assert PointEntry.objects.filter(source_type="complaint_overdue").count() == 4  # once


def test_the_office_late_with_its_own_steps_costs_no_window(served, db):
    """Not handed to a department: the office's late reply is the office's, no points
    (before issue 22: −4 a day to the window)."""
    case, _, _ = served
    c = file(case, datetime(2026, 9, 25, 9, tzinfo=TZ))
    Complaint.objects.filter(pk=c.pk).update(reply_due=date(2026, 9, 30))
    assert assess.complaints_overdue_charge(today=date(2026, 10, 20)) == 0
    assert not PointEntry.objects.exists()


def test_steps_go_in_order_and_disposal_must_say_upheld_or_not(served, db):
    case, user, _ = served
    c = file(case, datetime(2026, 11, 2, 9, tzinfo=TZ))
    with pytest.raises(ValidationError):
        assess.complaint_advance(complaint=c, step="reply", text="x", by=user)
    assess.complaint_advance(complaint=c, step="accept", by=user)
    assess.complaint_advance(complaint=c, step="investigate", text="属实", by=user)
    with pytest.raises(ValidationError):
        assess.complaint_advance(complaint=c, step="dispose", text="处理", by=user)
    assess.complaint_advance(complaint=c, step="dispose", text="处理", upheld=True, by=user)
    assess.complaint_advance(complaint=c, step="reply", text="已处理", by=user)
    assess.complaint_advance(complaint=c, step="archive", by=user)
    assert Complaint.objects.get().step == ComplaintStep.ARCHIVED
    # seed 000 第十三条(六): the window −10; 第二十一条(一): the clerk −3 for attitude
    # (before issue 22: one entry of −10 against both)
    entries = {
        (e.points, e.staff.name if e.staff else None)
        for e in PointEntry.objects.filter(source_type="complaint")
    }
    assert entries == {(-10, None), (-3, "张三")}


def test_a_serious_attitude_complaint_costs_the_clerk_five(served, db):
    """seed 000 第二十一条(一): 「每次扣3分,情节严重的,扣5分」."""
    case, user, _ = served
    c = file(case, datetime(2026, 9, 25, 9, tzinfo=TZ))
    assess.complaint_advance(complaint=c, step="accept", by=user)
    assess.complaint_advance(complaint=c, step="investigate", text="属实", by=user)
    assess.complaint_advance(
        complaint=c, step="dispose", text="处理", upheld=True, serious=True, by=user
    )
    entry = PointEntry.objects.get(source_type="complaint", staff__isnull=False)
    assert (entry.rule, entry.points) == ("complaint_attitude_serious", -5)


def test_two_upheld_complaints_in_a_year_send_the_person_back(served, db):
    case, user, _ = served
    for month in (3, 8):
        c = file(case, datetime(2026, month, 2, 9, tzinfo=TZ))
        assess.complaint_advance(complaint=c, step="accept", by=user)
        assess.complaint_advance(complaint=c, step="investigate", text="属实", by=user)
        assess.complaint_advance(
            complaint=c,
            step="dispose",
            text="处理",
            upheld=True,
            by=user,
            at=datetime(2026, month, 5, 9, tzinfo=TZ),
        )
    person = AssessedStaff.objects.get(name="张三")
    assert person.sent_back and "2次" in person.sent_back_note


def test_the_daily_job_runs_only_at_the_county(served, db, settings):
    from county.assessment.tasks import feedback_daily

    assert feedback_daily() == {"overdue_days": 0, "defaulted": 0}
    settings.HALL_TIER = "township"
    assert feedback_daily() == {}

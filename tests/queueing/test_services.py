"""Appointments and tickets through the services: rules, the hall's day, call order."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from county.rules.models import Rule
from sites.queueing import selectors, services
from sites.queueing.days import BEIJING
from sites.queueing.models import AppointmentStatus, TicketStatus
from sites.registry.models import Department, Window

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 Beijing, a working day
PHONE = "13812345678"


def mzj():
    return Department.objects.get(code="mzj")


def slot_at(hour: int, minute: int = 0, day: int = 8) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BEIJING)


def test_slots_follow_the_hours_rule_and_skip_lunch_and_holidays(hall):
    slots = selectors.slots_for_day(site=hall, department=mzj(), day=slot_at(9).date(), at=MONDAY)
    starts = [s.starts_at.astimezone(BEIJING).strftime("%H:%M") for s in slots]
    # seed 001 第四条: 8:30–12:00 and 13:00–17:30 (before issue 22: to 17:00, lunch to 13:30)
    assert starts[0] == "08:30" and starts[-1] == "17:00"
    assert "11:30" in starts and "12:00" not in starts and "12:30" not in starts
    assert "13:00" in starts and len(starts) == 16  # 7 in the morning, 9 after lunch
    assert all(s.capacity == 4 for s in slots)
    sunday = datetime(2026, 12, 6, tzinfo=BEIJING).date()
    assert selectors.slots_for_day(site=hall, department=mzj(), day=sunday, at=MONDAY) == []
    days = selectors.booking_days(site=hall, department=mzj(), at=MONDAY)
    assert sunday not in days and len(days) == 8  # today and 7 working days ahead
    evening = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)  # 17:30 Beijing: today is over
    late = selectors.booking_days(site=hall, department=mzj(), at=evening)
    assert late[0] == days[1] and len(late) == 7


def test_county_rule_scoped_to_the_department_changes_capacity(hall):
    Rule.objects.create(
        key="queueing.hours",
        scope="department:mzj",
        value={"capacity": 1, "slot_minutes": 60},
        changed_at=MONDAY,
    )
    slots = selectors.slots_for_day(site=hall, department=mzj(), day=slot_at(9).date(), at=MONDAY)
    assert slots[0].capacity == 1 and slots[1].starts_at - slots[0].starts_at == timedelta(hours=1)
    services.appointment_book(
        site=hall, department=mzj(), starts_at=slot_at(8, 30), phone=PHONE, at=MONDAY
    )
    with pytest.raises(ValidationError, match="约满"):
        services.appointment_book(
            site=hall, department=mzj(), starts_at=slot_at(8, 30), phone="13900000000", at=MONDAY
        )


def test_book_cancel_and_rebook(hall):
    booked = services.appointment_book(
        site=hall, department=mzj(), starts_at=slot_at(9), phone=PHONE, at=MONDAY
    )
    booked.slot.refresh_from_db()
    assert booked.slot.booked == 1 and len(booked.code) == 6
    with pytest.raises(ValidationError, match="重复预约"):
        services.appointment_book(
            site=hall, department=mzj(), starts_at=slot_at(10), phone=PHONE, at=MONDAY
        )
    with pytest.raises(ValidationError, match="未找到"):
        services.appointment_cancel(site=hall, code=booked.code, phone="13900000000", at=MONDAY)
    cancelled = services.appointment_cancel(site=hall, code=booked.code, phone=PHONE, at=MONDAY)
    assert cancelled.status == AppointmentStatus.CANCELLED
    cancelled.slot.refresh_from_db()
    assert cancelled.slot.booked == 0
    again = services.appointment_book(
        site=hall, department=mzj(), starts_at=slot_at(10), phone=PHONE, at=MONDAY
    )
    assert again.status == AppointmentStatus.BOOKED


def test_booking_refuses_past_unknown_far_and_bad_phone(hall):
    for starts, phone, message in [
        (slot_at(8, 30, day=7), PHONE, "已过"),
        (slot_at(8, 45), PHONE, "没有这个预约时段"),
        (slot_at(9, day=28), PHONE, "个工作日内"),
        (slot_at(9), "12345", "手机号"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.appointment_book(
                site=hall, department=mzj(), starts_at=starts, phone=phone, at=MONDAY
            )


def test_numbers_restart_on_the_beijing_day_not_at_utc_midnight(hall):
    before_utc_midnight = datetime(2026, 12, 7, 23, 50, tzinfo=UTC)  # 07:50 on the 8th
    after_utc_midnight = datetime(2026, 12, 8, 0, 10, tzinfo=UTC)  # 08:10 on the 8th
    first = services.ticket_take(site=hall, department=mzj(), at=before_utc_midnight)
    second = services.ticket_take(site=hall, department=mzj(), at=after_utc_midnight)
    assert (first.label, second.label) == ("M001", "M002") and first.day == second.day
    next_day = services.ticket_take(
        site=hall, department=mzj(), at=datetime(2026, 12, 8, 16, 1, tzinfo=UTC)
    )
    assert next_day.label == "M001" and next_day.day.day == 9  # 00:01 Beijing on the 9th
    other = services.ticket_take(
        site=hall, department=Department.objects.get(code="rsj"), at=after_utc_midnight
    )
    assert other.label == "R001"


def test_check_in_goes_ahead_of_walk_ins_and_transfers_ahead_of_both(hall):
    booked = services.appointment_book(
        site=hall, department=mzj(), starts_at=slot_at(9), phone=PHONE, at=MONDAY
    )
    at = slot_at(8, 20)
    walk_in = services.ticket_take(site=hall, department=mzj(), at=at)
    with pytest.raises(ValidationError, match="分钟内签到"):
        services.appointment_check_in(site=hall, code=booked.code, phone=PHONE, at=at)
    checked = services.appointment_check_in(
        site=hall, code=booked.code, phone=PHONE, at=at + timedelta(minutes=15)
    )
    assert checked.label == "M002" and selectors.ticket_ahead(walk_in) == 1
    window1, window3 = Window.objects.get(number="1"), Window.objects.get(number="3")
    rsj_walk_in = services.ticket_take(
        site=hall, department=Department.objects.get(code="rsj"), at=at
    )
    called = services.ticket_call_next(window=window1, by=None, at=at + timedelta(minutes=20))
    assert called == checked
    moved = services.ticket_transfer(
        window=window1,
        ticket_id=called.id,
        department=Department.objects.get(code="rsj"),
        by=None,
        at=at + timedelta(minutes=22),
    )
    assert moved.status == TicketStatus.WAITING and moved.transferred_from == "mzj"
    assert (
        services.ticket_call_next(window=window3, by=None, at=at + timedelta(minutes=23)) == moved
    )
    after = services.ticket_call_next(window=window3, by=None, at=at + timedelta(minutes=30))
    assert after == rsj_walk_in
    moved.refresh_from_db()
    assert moved.status == TicketStatus.DONE and moved.serve_seconds == 7 * 60


def test_recall_skip_finish_and_the_display(hall, settings):
    settings.HALL_QUEUE_RATING_URL = "/pingjia/paidui/{token}/"
    at = slot_at(9)
    window = Window.objects.get(number="2")
    a = services.ticket_take(site=hall, department=mzj(), at=at)
    b = services.ticket_take(site=hall, department=mzj(), at=at)
    called = services.ticket_call_next(window=window, by=None, at=at + timedelta(minutes=1))
    first_key = selectors.display_calls(site=hall, at=at)[0]["key"]
    services.ticket_recall(
        window=window, ticket_id=called.id, by=None, at=at + timedelta(minutes=2)
    )
    shown = selectors.display_calls(site=hall, at=at)[0]
    assert shown["key"] != first_key and shown["label"] == "M001" and shown["window"] == "2"
    assert shown["text"] == "请M 0 0 1号到2号窗口办理"
    skipped = services.ticket_skip(window=window, ticket_id=a.id, by=None, at=at)
    assert skipped.status == TicketStatus.SKIPPED and selectors.rating_url(skipped) == ""
    services.ticket_call_next(window=window, by=None, at=at + timedelta(minutes=3))
    done = services.ticket_finish(
        window=window, ticket_id=b.id, by=None, at=at + timedelta(minutes=9)
    )
    assert selectors.rating_url(done) == f"/pingjia/paidui/{done.token}/"
    with pytest.raises(ValidationError, match="不在本窗口"):
        services.ticket_finish(window=window, ticket_id=b.id, by=None, at=at)
    assert services.ticket_call_next(window=window, by=None, at=at) is None


def test_statistics_p50_p95_per_department_and_hour_and_no_shows(hall):
    window = Window.objects.get(number="1")
    base = slot_at(9)
    for _ in range(1, 21):  # 20 people waiting 1..20 minutes each
        services.ticket_take(site=hall, department=mzj(), at=base)
    for minutes in range(1, 21):
        services.ticket_call_next(window=window, by=None, at=base + timedelta(minutes=minutes))
    services.appointment_book(
        site=hall, department=mzj(), starts_at=slot_at(10), phone=PHONE, at=MONDAY
    )
    stats = selectors.queue_statistics(
        site=hall, day_from=base.date(), day_to=base.date(), at=slot_at(17)
    )
    row = stats["departments"][0]
    assert (row["code"], row["taken"], row["called"]) == ("mzj", 20, 20)
    assert (row["wait_p50_min"], row["wait_p95_min"]) == (10.0, 19.0)
    assert row["hours"] == [{"hour": 9, "called": 20, "wait_p50_min": 10.0, "wait_p95_min": 19.0}]
    assert row["no_shows"] == 1 and stats["overall"]["no_shows"] == 1
    assert row["serve_p50_min"] == 1.0  # each call next ended the previous one a minute later


def test_numbers_still_waiting_when_their_day_ended_count_as_unserved(hall):
    # given five numbers taken on Tuesday, of which two were called and one skipped,
    window = Window.objects.get(number="1")
    tuesday = slot_at(9, day=8)
    taken = [services.ticket_take(site=hall, department=mzj(), at=tuesday) for _ in range(5)]
    services.ticket_call_next(window=window, by=None, at=tuesday + timedelta(minutes=5))
    services.ticket_call_next(window=window, by=None, at=tuesday + timedelta(minutes=9))
    services.ticket_skip(window=window, ticket_id=taken[1].id, by=None, at=tuesday)
    # and one number taken on Wednesday morning, still waiting
    wednesday = slot_at(9, day=9)
    services.ticket_take(site=hall, department=mzj(), at=wednesday)

    def counts(at):
        stats = selectors.queue_statistics(
            site=hall, day_from=tuesday.date(), day_to=wednesday.date(), at=at
        )
        row = stats["departments"][0]
        return row["taken"], row["served"], row["skipped"], row["unserved"], stats["overall"]

    # when the statistics are read on Wednesday, then Tuesday's three never-called numbers
    # are unserved (5 taken - 2 called), Wednesday's waiting one is not (its day goes on)
    taken_n, served, skipped, unserved, overall = counts(wednesday + timedelta(hours=1))
    assert (taken_n, served, skipped, unserved) == (6, 1, 1, 3)
    assert overall["unserved"] == 3
    # and on Thursday, Wednesday's is unserved too
    assert counts(slot_at(9, day=10))[3] == 4


def test_the_hall_day_does_not_follow_the_process_time_zone(hall):
    from django.utils import timezone

    with timezone.override("UTC"):  # a node or a test running in UTC
        morning = datetime(2026, 12, 8, 0, 30, tzinfo=UTC)  # 08:30 Beijing on the 8th
        evening = datetime(2026, 12, 7, 23, 59, tzinfo=UTC)  # 07:59 Beijing on the 8th
        a = services.ticket_take(site=hall, department=mzj(), at=evening)
        b = services.ticket_take(site=hall, department=mzj(), at=morning)
        assert a.day == b.day == morning.astimezone(BEIJING).date()
        assert (a.number, b.number) == (1, 2)
        stats = selectors.queue_statistics(site=hall, day_from=a.day, day_to=a.day, at=morning)
        assert stats["overall"]["taken"] == 2

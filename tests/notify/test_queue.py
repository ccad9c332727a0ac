"""Queue and appointment SMS: confirmation at booking, "3 before you" once per ticket,
the reminder on the working day before (once), all in the queue's own transactions."""

from datetime import UTC, datetime, timedelta

import pytest

from county.rules.models import Rule
from sites.notify.models import Notification
from sites.notify.queue import reminders_due
from sites.queueing import services
from sites.queueing.days import BEIJING
from sites.registry.models import Department, Window
from sites.registry.services import window_open

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 Beijing, a working day
PHONES = [f"1381234567{i}" for i in range(5)]


@pytest.fixture
def hall(township):
    mzj = Department.objects.get(code="mzj")
    window_open(site=township, department=mzj, number="1", name="民政窗口")
    return township


def book(hall, phone):
    return services.appointment_book(
        site=hall,
        department=Department.objects.get(code="mzj"),
        starts_at=datetime(2026, 12, 8, 9, 0, tzinfo=BEIJING),
        phone=phone,
        at=MONDAY,
    )


def texts(kind):
    return list(
        Notification.objects.filter(kind=kind).order_by("id").values_list("text", flat=True)
    )


def test_booking_confirms_by_sms(hall):
    book(hall, PHONES[0])
    [text] = texts("appointment_confirmed")
    assert text == "您已预约12月8日09:00到马鞍镇便民服务中心民政局办事，请按时到达并凭预约码签到。"


def test_the_reminder_goes_the_working_day_before_once(hall):
    book(hall, PHONES[0])
    assert reminders_due(now=MONDAY - timedelta(days=3)) == 0  # Friday: that is for Monday
    assert reminders_due(now=MONDAY) == 1
    assert reminders_due(now=MONDAY + timedelta(hours=2)) == 1  # asked again: the same key
    [text] = texts("appointment_reminder")
    assert text.startswith("提醒：您预约了12月8日09:00")
    assert Notification.objects.get(kind="appointment_reminder").phone == PHONES[0]


def test_three_before_you_once_per_ticket(hall):
    Rule.objects.create(
        key="queueing.hours", scope="department:mzj", value={"capacity": 10}, changed_at=MONDAY
    )
    codes = [(book(hall, phone).code, phone) for phone in PHONES]
    at = datetime(2026, 12, 8, 8, 50, tzinfo=BEIJING)
    tickets = [
        services.appointment_check_in(site=hall, code=code, phone=phone, at=at)
        for code, phone in codes
    ]
    walk_in = services.ticket_take(site=hall, department=Department.objects.get(code="mzj"), at=at)
    window = Window.objects.get(number="1")
    services.ticket_call_next(window=window, by=None, at=at + timedelta(minutes=15))
    near = Notification.objects.filter(kind="queue_near")
    assert [n.phone for n in near] == [PHONES[4]]  # 2nd, 3rd, 4th wait before the 5th
    assert tickets[4].label in near[0].text and "还有3位" in near[0].text
    services.ticket_recall(window=window, ticket_id=tickets[0].id, by=None, at=at)
    assert near.count() == 1  # a recall changes nobody's place
    services.ticket_call_next(window=window, by=None, at=at + timedelta(minutes=20))
    assert near.count() == 1  # the 4th waiting now is the walk-in: no phone, no SMS
    assert walk_in.appointment is None

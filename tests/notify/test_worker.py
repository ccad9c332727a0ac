"""The sender against a real local HTTP gateway (tests/support/fake_sms.py): retries with
backoff, timeouts that delivered anyway, final failure visible, each key delivered once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from county.rules.models import Rule
from deploy.celery import app
from sites.notify.gateways import HttpGateway
from sites.notify.models import Notification, NotifyReport, SmsRecord, Status
from sites.notify.rules import SENDING_KEY
from sites.notify.services import notify
from sites.notify.tasks import send
from sites.notify.worker import send_due
from sync.models import OutboxMessage
from tests.cases.factories import PHONE, case_make, clerk
from tests.support.fake_sms import FakeSms

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():
    with FakeSms() as server:
        yield server


def gateway(fake, timeout=2.0):
    return HttpGateway(
        url=fake.url, account="qs", secret="s", signature="【青山县】", timeout=timeout
    )


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


def test_fails_twice_then_succeeds_delivered_once(township, fake):
    case = case_make(by=clerk(township))
    row = Notification.objects.get(case_number=case.number, kind="receipt")
    fake.fail_next(2, match=row.key)
    gw = gateway(fake)
    assert send_due(gateway=gw)["pending"] == 1  # 1st try: 500
    assert sum(send_due(gateway=gw).values()) == 0  # backing off: nothing due yet
    row.refresh_from_db()
    first_wait = row.next_try_at - timezone.now()
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)  # backoff_seconds
    assert send_due(gateway=gw, now=later(31))["pending"] == 1  # 2nd try: 500
    row.refresh_from_db()
    assert row.next_try_at - later(31) > timedelta(seconds=55)  # doubled: 60 s
    assert send_due(gateway=gw, now=later(100))["sent"] == 1  # 3rd try: delivered
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 3, "")
    assert fake.requests[row.key] == 3
    assert len(fake.delivered_matching(case.number)) == 1
    assert sum(send_due(gateway=gw, now=later(10_000)).values()) == 0  # nothing more
    # the outcome leaves for the county's e-supervision in the outcome's transaction
    outcome = OutboxMessage.objects.get(type="notify.outcome")
    assert row.key in outcome.body and outcome.dest == "county"


def test_a_timeout_after_delivery_is_retried_with_the_same_key_and_not_doubled(township, fake):
    row = notify(None, "queue_near", phone=PHONE, ticket="A012", ahead=3, window="3号窗口")
    fake.slow = 2.0
    fake.timeout_next(1)
    gw = gateway(fake, timeout=0.5)
    assert send_due(gateway=gw)["pending"] == 1  # the client timed out...
    assert list(fake.delivered) == [row.key]  # ...but the gateway had delivered
    row.refresh_from_db()
    assert "网关不可达" in row.last_error
    assert send_due(gateway=gw, now=later(31))["sent"] == 1
    assert fake.requests[row.key] == 2
    assert fake.texts() == ["您的A012号前面还有3位，请到3号窗口附近等候叫号。"]


def test_final_failure_shows_on_healthz_and_is_reported_to_the_county(halls, at_site, fake):
    at_site("county")
    Rule.objects.create(
        key=SENDING_KEY, value={"attempts": 2, "backoff_seconds": 1}, changed_at=timezone.now()
    )
    row = notify(None, "queue_near", phone=PHONE, ticket="A1", ahead=3, window="1号窗口")
    fake.fail_next(5)
    gw = gateway(fake)
    send_due(gateway=gw)
    assert send_due(gateway=gw, now=later(5))["failed"] == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.done_at is not None
    assert fake.delivered == {}
    body = Client().get("/healthz/").json()
    assert body["notifications_failed"] == 1 and body["notifications_due"] == 0
    assert body["status"] == "ok"
    # the outcome went to the county's e-supervision (at the county: applied at once)
    report = NotifyReport.objects.get(key=row.key)
    assert (report.site, report.status, report.attempts) == ("county", Status.FAILED, 2)


def test_the_http_gateway_never_sends_the_phone_to_the_log(township, fake, caplog):
    row = notify(None, "queue_near", phone=PHONE, ticket="A1", ahead=3, window="1号窗口")
    with caplog.at_level("INFO", logger="sites.notify"):
        send_due(gateway=gateway(fake))
    assert row.key in caplog.text
    assert PHONE not in caplog.text and "138****5678" in caplog.text
    assert fake.delivered[row.key]["phone"] == PHONE  # the gateway itself needs it


def test_a_refused_connection_is_retried(township, fake):
    row = notify(None, "queue_near", phone=PHONE, ticket="A1", ahead=3, window="1号窗口")
    dead = HttpGateway(
        url="http://127.0.0.1:9/send", account="", secret="", signature="", timeout=1
    )
    assert send_due(gateway=dead)["pending"] == 1
    assert send_due(gateway=gateway(fake), now=later(31))["sent"] == 1
    assert list(fake.delivered) == [row.key]


def test_beat_sends_every_five_seconds_and_reminds_appointments():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert schedule["notify-send"] == {"task": "notify.send", "schedule": 5.0}
    assert schedule["notify-reminders"]["task"] == "notify.reminders"
    assert {"notify.send", "notify.reminders"} <= set(app.tasks)


def test_the_demo_gateway_through_the_beat_task(township):
    row = notify(None, "queue_near", phone=PHONE, ticket="A9", ahead=3, window="民政局窗口")
    assert send()["sent"] == 1
    assert SmsRecord.objects.get().key == row.key
    assert send()["sent"] == 0

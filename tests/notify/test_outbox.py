"""The outbox: a notification is written with the change that causes it, once per step."""

from datetime import date

import pytest
from django.db import transaction

from sites.cases import services
from sites.notify.models import Notification, Status
from sites.notify.services import notify
from tests.cases.factories import PHONE, case_make, clerk

pytestmark = pytest.mark.django_db


def kinds(case):
    return list(
        Notification.objects.filter(case_number=case.number)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_each_lifecycle_step_writes_its_notification_once(township):
    user = clerk(township)
    case = case_make(by=user, state="concluded")
    # 办结 opens the delivery (sites.delivery) in the same transaction: 结果待领取 too
    assert kinds(case) == ["receipt", "accepted", "result_ready", "decided", "rating_invitation"]
    receipt = Notification.objects.get(case_number=case.number, kind="receipt")
    assert receipt.phone == PHONE
    assert receipt.status == Status.PENDING
    assert case.number in receipt.text and "查询" in receipt.text
    accepted = Notification.objects.get(case_number=case.number, kind="accepted")
    assert "承诺于" in accepted.text and "月" in accepted.text


def test_rollback_of_the_change_leaves_no_notification(township):
    user = clerk(township)
    case = case_make(by=user)
    before = Notification.objects.count()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.case_accept(case=case, by=user)
        assert Notification.objects.count() == before + 1  # written inside the change
        raise Boom
    assert Notification.objects.count() == before
    assert not Notification.objects.filter(kind="accepted").exists()


def test_the_same_key_notifies_once(township):
    case = case_make(by=clerk(township))
    first = notify(case, "result_ready", place="3号窗口", until="12月21日")
    again = notify(case, "result_ready", place="3号窗口", until="12月21日")
    assert first.pk == again.pk
    assert "马鞍镇便民服务中心3号窗口领取" in first.text and "12月21日前" in first.text


def test_the_calls_sites_delivery_makes_read_well(township):
    """As sites/delivery calls it: the hall and a date, no window; a reminder with `since`
    (an accepted case: a concluded one has its own 结果待领取 from the delivery already)."""
    case = case_make(by=clerk(township), state="accepted")
    ready = notify(case, "result_ready", hall="马鞍镇便民服务中心", until=date(2026, 12, 21))
    assert ready.text == (
        f"办件{case.number}的结果已可领取，请于2026年12月21日前凭取件码和身份证到"
        "马鞍镇便民服务中心领取。"
    )
    posted = notify(case, "result_posted", carrier="中国邮政EMS", tracking="1234567890123")
    assert "中国邮政EMS寄出，运单号1234567890123" in posted.text
    reminder = notify(case, "collect_reminder", hall="马鞍镇便民服务中心", since=date(2026, 12, 21))
    assert reminder.text.endswith("请尽快凭取件码和身份证到马鞍镇便民服务中心领取。")
    assert len({ready.key, posted.key, reminder.key}) == 3


def test_refusal_at_intake_writes_nothing(township):
    user = clerk(township)
    case = services.case_submit(
        by=user,
        item_code="mzj-002",
        applicant_name="李四",
        applicant_id_number="11010519491231002X",
        applicant_phone=PHONE,
        materials=["申请人身份证", "临时救助申请书", "困难情况证明材料"],
        sms_refused=True,
    )
    services.case_accept(case=case, by=user)
    assert kinds(case) == []
    assert notify(case, "result_ready", place="3号窗口") is None


def test_a_landline_or_no_phone_gets_no_sms(township):
    assert notify(None, "queue_near", phone="0551-1234567", ticket="A1", ahead=3) is None
    assert notify(None, "queue_near", ticket="A1", ahead=3) is None
    sent = notify(None, "queue_near", phone=PHONE, ticket="A012", ahead=3, window="3号窗口")
    assert sent.text == "您的A012号前面还有3位，请到3号窗口附近等候叫号。"


def test_an_unknown_kind_is_a_programming_error(township):
    with pytest.raises(ValueError):
        notify(None, "nonsense", phone=PHONE)

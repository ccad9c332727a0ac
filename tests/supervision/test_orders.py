"""督办单 at one node: issued at the county to the hall holding the case (a message), the
answer received back only from that hall and once, overdue orders marked once."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from county.supervision.models import OrderState, SupervisionOrder
from county.supervision.orders import (
    ISSUE,
    Refused,
    order_answer_receive,
    orders_overdue_mark,
)
from county.supervision.selectors import orders_overdue, period_parse
from county.supervision.signals import order_overdue
from permissions.roles import Role
from sync.models import OutboxMessage
from tests.permissions.factories import staff

pytestmark = pytest.mark.django_db
D = "t-maan-20261110-0001"  # open at t-maan (mzj)
A = "v-shiqiao-20261102-0001"  # concluded


@pytest.fixture
def supervisor(month, halls, client):
    user = staff(halls["county"], Role.COUNTY_SUPERVISOR)
    client.force_login(user)
    return user


def issue(client, number=D, reason="申请人符合条件，部门逾期未作决定", days="3"):
    return client.post("/jiancha/duban/xin/", {"case": number, "reason": reason, "days": days})


def test_issue_sends_the_order_to_the_hall_holding_the_case(supervisor, client):
    assert issue(client).status_code == 302
    order = SupervisionOrder.objects.get()
    assert (order.case_number, order.site_code, order.department_code, order.days) == (
        D,
        "t-maan",
        "mzj",
        3,
    )
    assert order.due > order.issued_at.date() and not order.is_copy
    sent = OutboxMessage.objects.get(type=ISSUE)
    assert sent.dest == "t-maan" and json.loads(sent.body)["payload"]["code"] == order.code
    assert "督办单" in client.get("/jiancha/duban/").content.decode()


def test_a_concluded_case_and_a_blank_reason_are_refused(supervisor, client):
    assert "已结束，不能督办" in issue(client, number=A).content.decode()
    assert "请填写督办事由" in issue(client, reason=" ").content.decode()
    assert not SupervisionOrder.objects.exists()


def test_wrong_tier_wrong_role_and_anonymous_cannot_issue(month, halls, client):
    assert issue(client).status_code == 302 and "/accounts/login/" in issue(client)["Location"]
    client.force_login(staff(halls["t-maan"], Role.CLERK))
    assert issue(client).status_code == 403
    client.force_login(staff(halls["county"], Role.AUDITOR))
    assert issue(client).status_code == 403
    client.force_login(staff(halls["county"], Role.CLERK))
    assert issue(client).status_code == 403
    assert not SupervisionOrder.objects.exists()


def test_the_answer_counts_only_from_the_hall_it_went_to_and_once(supervisor, client):
    issue(client)
    order = SupervisionOrder.objects.get()
    answer = {
        "code": order.code,
        "answer": "已作出准予决定",
        "answered_by": "王五",
        "answered_at": order.issued_at.isoformat(),
    }
    with pytest.raises(Refused):
        order_answer_receive(origin="t-huangtan", payload=answer)
    order_answer_receive(origin="t-maan", payload=answer)
    order_answer_receive(origin="t-maan", payload=answer | {"answer": "第二次"})
    order.refresh_from_db()
    assert (order.state, order.answer, order.overdue_at) == (
        OrderState.ANSWERED,
        "已作出准予决定",
        None,
    )


def test_an_unanswered_order_goes_overdue_once_and_counts_against_the_window(supervisor, client):
    issue(client)
    order = SupervisionOrder.objects.get()
    heard = []
    order_overdue.connect(
        lambda sender, order, **kw: heard.append(order.code), weak=False, dispatch_uid="test-heard"
    )
    try:
        later = datetime.combine(
            order.due + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo("Asia/Shanghai")
        )
        assert orders_overdue_mark(now=later) == 1
        assert orders_overdue_mark(now=later) == 0
    finally:
        order_overdue.disconnect(dispatch_uid="test-heard")
    assert heard == [order.code]
    period = period_parse(kind="month", value=f"{order.due:%Y-%m}", today=order.due)
    assert orders_overdue(site="t-maan", department="mzj", period=period) == 1
    assert orders_overdue(site="t-maan", department="rsj", period=period) == 0
    # and the window's assessment ledger has the rule's points, once
    from county.assessment.models import PointEntry

    entry = PointEntry.objects.get(source_type="supervision_order", source_id=order.code)
    assert (entry.window.site_code, entry.window.department_code, entry.points) == (
        "t-maan",
        "mzj",
        -5,
    )

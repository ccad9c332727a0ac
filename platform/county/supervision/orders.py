"""督办单 (seed 001 art. 30): the county orders a department's window to decide a case.

Issued at the county against its read model (the case may be at any hall); the order
travels to the hall holding the case (`supervision.order.issue`), the window answers there,
and the answer travels back (`supervision.order.answer`). At the county the order is the
authority: an answer counts only from the hall it was sent to, once; an order unanswered
by its due day — or answered after it — is overdue, marked once (`order_overdue`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from county.readmodel.models import CaseRecord
from county.rules.selectors import rule_value
from county.supervision.models import OrderState, SupervisionOrder
from county.supervision.rollup import department_of
from county.supervision.rules import ORDERS, scopes_for
from county.supervision.signals import order_overdue
from county.workdays.selectors import add_working_days
from sites.registry.tier import here
from sync import api

ISSUE = "supervision.order.issue"  # county → the hall holding the case
ANSWER = "supervision.order.answer"  # that hall → county
OPEN_CASE = ("submitted", "accepted", "suspended")


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _who(user) -> str:
    staff = getattr(user, "staff", None)
    return staff.name if staff else getattr(user, "username", "") or "系统"


def order_snapshot(order: SupervisionOrder) -> dict:
    return {
        "code": order.code,
        "case_number": order.case_number,
        "site": order.site_code,
        "department": order.department_code,
        "item_code": order.item_code,
        "item_name": order.item_name,
        "reason": order.reason,
        "days": order.days,
        "due": order.due.isoformat(),
        "issued_by": order.issued_by,
        "issued_at": order.issued_at.isoformat(),
    }


@transaction.atomic
def order_issue(
    *, case_number: str, by, reason: str, days: int | None = None, at: datetime | None = None
) -> SupervisionOrder:
    """督办: at the county, about a case still open wherever it is now."""
    if not here().issues_orders:
        raise ValidationError({"case": "督办只能由县政务服务中心发出。"})
    record = CaseRecord.objects.filter(number=(case_number or "").strip()).first()
    if record is None:
        raise ValidationError({"case": f"未找到办件 {case_number}。"})
    if record.status not in OPEN_CASE:
        raise ValidationError({"case": f"办件 {record.number} 已结束，不能督办。"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写督办事由。"})
    department = department_of(record.item_code)
    if days is None:
        days = rule_value(
            ORDERS.key, scopes=scopes_for(item_code=record.item_code, department_code=department)
        )["answer_days"]
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationError({"days": "答复时限应为 1 至 30 个工作日。"})
    at = at or timezone.now()
    order = SupervisionOrder.objects.create(
        code=f"DB{timezone.localdate(at):%Y%m%d}-{uuid.uuid4().hex[:6].upper()}",
        case_number=record.number,
        site_code=record.owner_site,
        department_code=department,
        item_code=record.item_code,
        item_name=record.item_name,
        reason=reason[:500],
        days=days,
        due=add_working_days(timezone.localdate(at), days).date,
        issued_by=_who(by),
        issued_at=at,
    )
    if order.site_code != settings.HALL_SITE:
        api.outbox_put(
            type=ISSUE, aggregate="", dest=order.site_code, payload=order_snapshot(order)
        )
    return order


@transaction.atomic
def order_copy_apply(*, origin: str, snapshot: dict) -> SupervisionOrder:
    """At the hall: the county's order arrives (a redelivery changes nothing)."""
    if origin != api.fanin():
        raise Refused("督办单只能来自县政务服务中心")
    if snapshot["site"] != settings.HALL_SITE:
        raise Refused(f"督办单 {snapshot['code']} 不是发给本站点的")
    order, _ = SupervisionOrder.objects.get_or_create(
        code=snapshot["code"],
        defaults={
            "case_number": snapshot["case_number"],
            "site_code": snapshot["site"],
            "department_code": snapshot["department"],
            "item_code": snapshot.get("item_code", ""),
            "item_name": snapshot.get("item_name", ""),
            "reason": snapshot["reason"],
            "days": snapshot["days"],
            "due": parse_date(snapshot["due"]),
            "issued_by": snapshot["issued_by"],
            "issued_at": parse_datetime(snapshot["issued_at"]),
            "is_copy": True,
        },
    )
    return order


def _mark_answered(order: SupervisionOrder, *, answer: str, who: str, at: datetime) -> None:
    order.state, order.answer, order.answered_by, order.answered_at = (
        OrderState.ANSWERED,
        answer,
        who,
        at,
    )
    fields = ["state", "answer", "answered_by", "answered_at"]
    if not order.is_copy and order.overdue_at is None and timezone.localdate(at) > order.due:
        order.overdue_at = at  # answered late: it still counts against the window
        fields.append("overdue_at")
        order.save(update_fields=fields)
        order_overdue.send(sender=SupervisionOrder, order=order)
        return
    order.save(update_fields=fields)


@transaction.atomic
def order_answer(
    *, order: SupervisionOrder, by, answer: str, at: datetime | None = None
) -> SupervisionOrder:
    """The window answers at the hall holding the case; the answer goes to the county."""
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if order.site_code != settings.HALL_SITE:
        raise ValidationError({"order": "该督办单不由本站点答复。"})
    if order.state != OrderState.OPEN:
        raise ValidationError({"order": "该督办单已答复。"})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容。"})
    at = at or timezone.now()
    _mark_answered(order, answer=answer[:1000], who=_who(by), at=at)
    if order.is_copy:
        payload = {
            "code": order.code,
            "answer": order.answer,
            "answered_by": order.answered_by,
            "answered_at": at.isoformat(),
        }
        api.outbox_put(type=ANSWER, aggregate="", dest=api.fanin(), payload=payload)
    return order


@transaction.atomic
def order_answer_receive(*, origin: str, payload: dict) -> SupervisionOrder:
    """At the county: the hall's answer (only from the hall the order went to, once)."""
    order = SupervisionOrder.objects.select_for_update().filter(code=payload["code"]).first()
    if order is None or order.is_copy:
        raise Refused(f"没有督办单 {payload['code']}")
    if origin != order.site_code:
        raise Refused(f"督办单 {order.code} 发往 {order.site_code}，{origin} 的答复不予采用")
    if order.state == OrderState.ANSWERED:
        return order  # a second answer for the same order changes nothing
    at = parse_datetime(payload["answered_at"])
    _mark_answered(order, answer=payload["answer"][:1000], who=payload["answered_by"], at=at)
    return order


def orders_overdue_mark(*, now: datetime | None = None) -> int:
    """At the county (beat): open orders past their due day become overdue, once each."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    marked = 0
    due = SupervisionOrder.objects.filter(
        is_copy=False, state=OrderState.OPEN, overdue_at__isnull=True, due__lt=today
    )
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            order = SupervisionOrder.objects.select_for_update().get(pk=pk)
            if order.state != OrderState.OPEN or order.overdue_at is not None:
                continue
            order.overdue_at = now
            order.save(update_fields=["overdue_at"])
            order_overdue.send(sender=SupervisionOrder, order=order)
            marked += 1
    return marked

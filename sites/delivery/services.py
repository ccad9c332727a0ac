"""Writes of 送达: keyword-only, each one transaction, the delivery row locked.

Who may act is checked by the views (permissions: act at this hall); here: the case is
held (owned) by this hall, the result is still 待领取, the pickup code and the collector's
ID check out. The applicant is told through sites.notify, in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from county.workdays.selectors import add_working_days
from sites.cases.identity import id_number_problem, mask_id_number, phone_problem
from sites.cases.models import Case, CaseStatus
from sites.delivery.messages import CHANGED_TYPE, OUTSIDE_TYPE, changed_payload
from sites.delivery.models import Delivery, DeliveryStatus, Method
from sites.delivery.rules import collection_for
from sites.notify.services import notify
from sites.registry.models import Window
from sites.registry.selectors import site_current
from sync import api

WRONG_CODE = "取件码不正确，请核对办结通知书上的取件码。"
WRONG_PERSON = "领取人身份证号与申请人或登记的委托代领人不一致，不能领取。"
NOT_PENDING = "该办件结果已{status}，不能重复登记。"


def _digest(id_number: str) -> str:
    return salted_hmac("delivery.agent-id", id_number.strip().upper()).hexdigest()


def _now(at: datetime | None) -> datetime:
    at = at or timezone.now()
    if timezone.is_naive(at):
        raise ValidationError({"at": "时间必须带时区。"})
    return at


def _aggregate(delivery: Delivery) -> str:
    """One chain per case and hall (a result handed back down is delivered by another hall),
    numbered by the delivering hall: "<hall>-delivery-<case>" (sync's issuer rule)."""
    site, number = delivery.site.code, delivery.case.number
    key = f"{site}-delivery-{number}"
    return (
        key
        if len(key) <= 80
        else f"{site}-delivery-{hashlib.sha256(number.encode()).hexdigest()[:32]}"
    )


def _publish(delivery: Delivery) -> None:
    """The change to the county (fan-in), in the caller's transaction."""
    api.outbox_put(
        type=CHANGED_TYPE,
        aggregate=_aggregate(delivery),
        dest=api.fanin(),
        payload=changed_payload(delivery),
    )


def collect_by_for(*, site_code: str, ready_on: date) -> date:
    rule = collection_for(site_code=site_code)
    return add_working_days(ready_on, int(rule["days"])).date


@transaction.atomic
def delivery_open(*, case: Case, at: datetime | None = None) -> Delivery:
    """The case's delivery row (待领取, a fresh pickup code), once."""
    found = Delivery.objects.filter(case=case).first()
    if found is not None:
        return found
    at = case.concluded_at or _now(at)
    site = case.owner_site
    delivery = Delivery.objects.create(
        case=case,
        site=site,
        department=case.item_version.department,
        pickup_code=f"{secrets.randbelow(10**6):06d}",
        ready_at=at,
        collect_by=collect_by_for(site_code=site.code, ready_on=timezone.localdate(at)),
    )
    _publish(delivery)
    notify(case, "result_ready", hall=site.name, until=delivery.collect_by)
    return delivery


def _locked(case: Case) -> Delivery:
    here = site_current()
    if case.owner_site_id != here.id or case.status != CaseStatus.CONCLUDED:
        raise ValidationError({"case": f"办件 {case.number} 不在本站待送达，不能登记送达。"})
    delivery = Delivery.objects.select_for_update().filter(case=case).first()
    if delivery is None:
        delivery_open(case=case)
        delivery = Delivery.objects.select_for_update().get(case=case)
    return delivery


def _pending(delivery: Delivery) -> None:
    if delivery.status != DeliveryStatus.PENDING:
        raise ValidationError(
            {"case": NOT_PENDING.format(status=delivery.get_status_display().lstrip("已"))}
        )


def _id_clean(value: str, field: str, at: datetime) -> str:
    value = (value or "").strip().upper()
    problem = id_number_problem(value, today=timezone.localdate(at))
    if problem:
        raise ValidationError({field: problem})
    return value


@transaction.atomic
def delivery_agent_set(
    *, case: Case, name: str, id_number: str, by, at: datetime | None = None
) -> Delivery:
    """登记委托代领人 (with the applicant's 授权委托书): who else may collect."""
    at = _now(at)
    delivery = _locked(case)
    _pending(delivery)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"agent_name": "请填写委托代领人姓名。"})
    id_number = _id_clean(id_number, "agent_id_number", at)
    delivery.agent_name = name[:50]
    delivery.agent_id_masked = mask_id_number(id_number)
    delivery.agent_id_digest = _digest(id_number)
    delivery.save(update_fields=["agent_name", "agent_id_masked", "agent_id_digest"])
    return delivery


@transaction.atomic
def delivery_collect(
    *,
    case: Case,
    pickup_code: str,
    collector_name: str,
    collector_id_number: str,
    by,
    window: Window | None = None,
    at: datetime | None = None,
) -> Delivery:
    """窗口领取: the pickup code from the notice and the collector's ID (the applicant's,
    or the registered authorised agent's); the ID is kept masked."""
    at = _now(at)
    delivery = _locked(case)
    _pending(delivery)
    if not hmac.compare_digest((pickup_code or "").strip(), delivery.pickup_code):
        raise ValidationError({"pickup_code": WRONG_CODE})
    id_number = _id_clean(collector_id_number, "collector_id_number", at)
    own = hmac.compare_digest(id_number, case.applicant_id_number.strip().upper())
    agent = bool(delivery.agent_id_digest) and hmac.compare_digest(
        _digest(id_number), delivery.agent_id_digest
    )
    if not (own or agent):
        raise ValidationError({"collector_id_number": WRONG_PERSON})
    name = (collector_name or "").strip() or (case.applicant_name if own else delivery.agent_name)
    delivery.status = DeliveryStatus.COLLECTED
    delivery.method = Method.WINDOW
    delivery.collector_name = name[:50]
    delivery.collector_id_masked = mask_id_number(id_number)
    delivery.collector_is_agent = not own
    delivery.delivered_at = at
    delivery.delivered_by = by
    delivery.window = window if window and window.site_id == delivery.site_id else None
    delivery.save()
    _publish(delivery)
    return delivery


@transaction.atomic
def delivery_post(
    *,
    case: Case,
    address: str,
    recipient_phone: str,
    carrier: str,
    tracking_number: str,
    by,
    at: datetime | None = None,
) -> Delivery:
    """邮寄送达: address, carrier and tracking number."""
    at = _now(at)
    delivery = _locked(case)
    _pending(delivery)
    values = {
        "address": (address or "").strip(),
        "carrier": (carrier or "").strip(),
        "tracking_number": (tracking_number or "").strip(),
    }
    labels = {"address": "邮寄地址", "carrier": "寄递企业", "tracking_number": "运单号"}
    missing = {k: f"请填写{labels[k]}。" for k, v in values.items() if not v}
    phone = (recipient_phone or "").strip().replace(" ", "")
    if phone_problem(phone):
        missing["recipient_phone"] = phone_problem(phone)
    if missing:
        raise ValidationError(missing)
    delivery.status = DeliveryStatus.POSTED
    delivery.method = Method.POST
    delivery.address = values["address"][:200]
    delivery.recipient_phone = phone[:20]
    delivery.carrier = values["carrier"][:40]
    delivery.tracking_number = values["tracking_number"][:40]
    delivery.delivered_at = at
    delivery.delivered_by = by
    delivery.save()
    _publish(delivery)
    notify(case, "result_posted", carrier=delivery.carrier, tracking=delivery.tracking_number)
    return delivery


@transaction.atomic
def delivery_outside(*, case: Case, note: str, by, at: datetime | None = None) -> Delivery:
    """登记未通过窗口取件: the department handed the result out elsewhere. Recorded as
    delivered, and the county's assessment costs the department's window (seed 000
    第十三条(四)「在政务大厅窗口受理,但未通过窗口取件的,每项扣5分」)."""
    at = _now(at)
    delivery = _locked(case)
    _pending(delivery)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请说明在何处由谁发放。"})
    delivery.status = DeliveryStatus.COLLECTED
    delivery.method = Method.OUTSIDE
    delivery.note = note[:200]
    delivery.delivered_at = at
    delivery.delivered_by = by
    delivery.save()
    _publish(delivery)
    department = delivery.department or case.item_version.department
    api.outbox_put(
        type=OUTSIDE_TYPE,
        aggregate=_aggregate(delivery),
        dest=api.fanin(),
        payload={
            "number": case.number,
            "site": delivery.site.code,
            "site_name": delivery.site.name,
            "department": department.code,
            "department_name": department.name,
            "at": at.isoformat(),
        },
    )
    return delivery


def delivery_downloaded(*, delivery: Delivery, at: datetime | None = None) -> None:
    """电子送达: the first download of the result at the citizen query is recorded."""
    Delivery.objects.filter(pk=delivery.pk, downloaded_at__isnull=True).update(
        downloaded_at=_now(at)
    )


def deliveries_remind(*, today: date | None = None) -> int:
    """催领: each result still 待领取 after its deadline is reminded, then again every
    `remind_every_days` working days. Returns how many were reminded."""
    today = today or timezone.localdate()
    site = site_current()
    rule = collection_for(site_code=site.code)
    every = int(rule["remind_every_days"])
    count = 0
    due = Delivery.objects.filter(
        site=site, case__owner_site=site, status=DeliveryStatus.PENDING, collect_by__lt=today
    ).select_related("case", "site")
    for delivery in due:
        if delivery.reminded_on and add_working_days(delivery.reminded_on, every).date > today:
            continue
        with transaction.atomic():
            updated = Delivery.objects.filter(
                pk=delivery.pk, reminded_on=delivery.reminded_on, status=DeliveryStatus.PENDING
            ).update(reminded_on=today, reminders=delivery.reminders + 1)
            if updated:
                case = delivery.case
                notify(case, "collect_reminder", hall=delivery.site.name, since=delivery.collect_by)
                count += 1
    return count

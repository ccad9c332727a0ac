"""The sender: claims due notifications, calls the gateway, records the outcome.

Never lost: a row leaves the outbox only as 已发送 or, after the rule's number of attempts,
发送失败 (shown on /healthz/, the hall's 短信记录 page and the county's e-supervision).
Never doubled: each call carries the row's idempotency key; a worker killed between the
gateway's answer and the outcome's commit leaves the row 发送中 with a lease, and the
row is sent again with the same key once the lease ends: the gateway delivers a key once.

Retries back off exponentially: `backoff_seconds` × 2^(attempt − 1), at most an hour.
Run by the celery beat task `notify.send` (and `hall station`'s tick) and by
`hall notify-send` (a loop, like the sync relay).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from sites.cases.identity import mask_phone
from sites.notify.gateways import GatewayError, gateway_get
from sites.notify.models import Notification, Status
from sites.notify.outbound import outcome_send
from sites.notify.rules import sending

log = logging.getLogger("sites.notify")
BACKOFF_MAX = 3600


def lease() -> timedelta:
    """How long a claimed row stays 发送中 before another run may send it again."""
    return timedelta(seconds=settings.HALL_SMS_TIMEOUT * 2 + 5)


def claim(*, limit: int = 50, now: datetime | None = None) -> list[Notification]:
    """Take up to `limit` due rows (pending, or sending with an ended lease)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(Q(status=Status.PENDING) | Q(status=Status.SENDING), next_try_at__lte=now)
            .order_by("next_try_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(id__in=rows).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_try_at=now + lease()
        )
    return list(Notification.objects.filter(id__in=rows).order_by("id"))


def deliver(row: Notification, *, gateway, now: datetime | None = None) -> str:
    """Send one claimed row and record what happened; returns its new status."""
    try:
        gateway.send(key=row.key, phone=row.phone, text=row.text)
        error = ""
    except GatewayError as exc:
        error = str(exc)[:200]
    except Exception as exc:  # a broken adapter must not stop the others
        error = f"发送异常：{type(exc).__name__}"
    policy = sending()
    with transaction.atomic():
        current = Notification.objects.select_for_update().get(pk=row.pk)
        if current.status != Status.SENDING:
            return current.status  # another run finished it meanwhile (same key: once)
        now = now or timezone.now()
        if not error:
            current.status, current.done_at = Status.SENT, now
        elif current.attempts >= policy["attempts"]:
            current.status, current.done_at = Status.FAILED, now
        else:
            current.status = Status.PENDING
            wait = min(policy["backoff"] * 2 ** (current.attempts - 1), BACKOFF_MAX)
            current.next_try_at = now + timedelta(seconds=wait)
        current.last_error = error
        current.save(update_fields=["status", "done_at", "next_try_at", "last_error"])
        if current.status in (Status.SENT, Status.FAILED):
            outcome_send(current)
    log.info(
        "notify %s %s to %s (attempt %d)%s",
        current.key,
        current.get_status_display(),
        mask_phone(current.phone),
        current.attempts,
        f": {error}" if error else "",
    )
    return current.status


def send_due(*, gateway=None, limit: int = 50, now: datetime | None = None) -> dict:
    """One pass: claim what is due and send it. Returns counts by outcome."""
    gateway = gateway or gateway_get()
    counts = {"sent": 0, "failed": 0, "pending": 0, "sending": 0}
    for row in claim(limit=limit, now=now):
        counts[deliver(row, gateway=gateway, now=now)] += 1
    return counts


def notify_run(*, once: bool = False, stop=None, idle: float = 1.0, gateway=None) -> None:
    """Send until stopped (`stop.stopping`); `once`: until nothing is due now."""
    gateway = gateway or gateway_get()
    while not (stop is not None and stop.stopping):
        try:
            counts = send_due(gateway=gateway)
        finally:
            close_old_connections()
        if sum(counts.values()):
            continue
        if once:
            return
        time.sleep(idle)

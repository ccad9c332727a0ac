"""`notify`: the one call other apps make to tell an applicant something by SMS.

    from sites.notify.services import notify
    notify(case, "result_ready", place="3号窗口", until=date)
    notify(None, "queue_near", phone=ticket.phone, ticket="A012", ahead=3, window="3号窗口")

Call it inside the transaction of the change that causes the message: it only writes an
outbox row (`Notification`), so a rollback leaves no notification and a commit always
leaves one; the worker sends it later. The kinds and their context fields are the table in
sites/notify/kinds.py. Dates may be given as dates; they are shown in Chinese form.

Nothing is written when the applicant refused SMS at intake, or when there is no phone.
`key` is the idempotency key: by default one per case, kind and case step
(`<number>:<kind>:<seq>`), so recording the same step twice notifies once; pass your own
key for repeats of one kind at one step (a reminder per day: key=f"{number}:remind:{day}").
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from django.utils import timezone

from sites.cases.models import Case, EventType
from sites.notify.kinds import KINDS, render
from sites.notify.models import Notification
from sites.notify.rules import text_for
from sites.registry.models import Site
from sites.registry.selectors import site_current
from sites.registry.timefmt import people_date, people_time

MOBILE = re.compile(r"^1[3-9]\d{9}$")  # only mobiles receive SMS
SMS_REFUSED = "sms_refused"  # in the 收件 event's data: the applicant said no at intake


def sms_refused(case: Case) -> bool:
    """Did the applicant refuse SMS at intake? (travels with the case's timeline)"""
    data = case.events.filter(type=EventType.SUBMITTED).values_list("data", flat=True).first() or {}
    return bool(data.get(SMS_REFUSED))


def _shown(value) -> str:
    if isinstance(value, datetime):
        return people_time(value)
    if isinstance(value, date):
        return people_date(value)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def notify(
    case: Case | None,
    kind: str,
    *,
    phone: str | None = None,
    key: str | None = None,
    site: Site | None = None,
    **context,
) -> Notification | None:
    """Write one notification to the outbox (see the module doc); returns it, or None."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    site = site or site_current()
    scopes: tuple[str, ...] = ()
    fields = {"hall": site.name}
    if case is not None:
        if sms_refused(case):
            return None
        phone = phone or case.applicant_phone
        version = case.item_version
        scopes = (f"item:{version.item.code}", f"department:{version.item.department.code}")
        fields.update(number=case.number, item=version.name)
        key = key or f"{case.number}:{kind}:{case.seq}"
    phone = (phone or "").strip()
    if not MOBILE.match(phone):
        return None
    fields.update({name: _shown(value) for name, value in context.items()})
    text = render(text_for(kind, scopes=scopes), fields)[:500]
    now = timezone.now()
    found, _ = Notification.objects.get_or_create(
        key=(key or uuid.uuid4().hex)[:120],
        defaults=dict(
            site=site,
            case=case,
            case_number=case.number if case else "",
            kind=kind,
            phone=phone,
            text=text,
            next_try_at=now,
            created_at=now,
        ),
    )
    return found

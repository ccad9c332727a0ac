"""Case-lifecycle notifications: a receiver of Django's post_save on `CaseEvent`.

Every lifecycle step records one event through `lifecycle.event_record`, inside the
step's transaction; the receiver writes the notification in that same transaction. Events
copied in by a transfer (bulk_create in sites/cases/transfer.py) send no signal, so each
step is notified once, by the hall where it happened.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from sites.cases.models import CaseEvent, EventType
from sites.notify.services import notify

E = EventType


def _context(event: CaseEvent) -> list[tuple[str, dict]]:
    case, data = event.case, event.data or {}
    reason = str(data.get("reason") or data.get("note") or "")[:40]
    match event.type:
        case E.SUBMITTED:
            return [("receipt", {})]
        case E.SUPPLEMENT_REQUESTED:
            return [("supplement_requested", {"items": data.get("items") or case.supplement_items})]
        case E.SUPPLEMENT_COMPLETED if "deferred_supplied" not in data:
            return [("supplement_completed", {"date": timezone.localdate(event.at)})]
        case E.ACCEPTED:
            return [("accepted", {"date": case.deadline or "办结期限"})]
        case E.EXTENDED:
            return [("extended", {"date": case.deadline or ""})]
        case E.DECIDED | E.COUNTERSIGNED:
            outcome = case.get_outcome_display() if case.outcome else "已办结"
            return [("decided", {"outcome": outcome}), ("rating_invitation", {})]
        case E.REFUSED:
            return [("refused", {"reason": reason})]
        case E.RETURNED:
            return [("returned", {"reason": reason})]
    return []


@receiver(post_save, sender=CaseEvent, dispatch_uid="notify.case_event")
def case_event_notify(sender, instance: CaseEvent, created: bool, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    for kind, context in _context(instance):
        notify(instance.case, kind, key=f"{instance.case.number}:{kind}:{instance.seq}", **context)

"""Case-lifecycle notifications: a receiver of `sites.cases.signals.case_changed`, the one
"a case changed" signal inside a hall (docs/decisions/0026).

Every lifecycle step records one event through `lifecycle.event_record`, which sends
case_changed inside the step's transaction; the receiver writes the notification in that
same transaction. Events
copied in by a transfer (bulk_create in sites/cases/transfer.py) send no signal, so each
step is notified once, by the hall where it happened.
"""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from sites.cases.models import CaseEvent, EventType
from sites.cases.signals import case_changed
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


@receiver(case_changed, dispatch_uid="notify.case_event")
def case_event_notify(sender, case, event: CaseEvent, **kwargs) -> None:
    for kind, context in _context(event):
        notify(case, kind, key=f"{case.number}:{kind}:{event.seq}", **context)

"""Message handlers of the cases app (run by sync/ in the inbox transaction)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.outbound import TRANSFER_TYPE
from sites.cases.transfer import case_materialise
from sync.api import Reject, applier


@applier(TRANSFER_TYPE, owned=True)
def case_transfer_received(envelope) -> None:
    """Forwarded up or handed back to this hall: materialise the case and own it."""
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件快照与消息聚合编号不符")
    try:
        case_materialise(snapshot=payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"办件快照不完整：{exc}") from exc
    except ValidationError as exc:
        raise Reject("; ".join(exc.messages)) from exc

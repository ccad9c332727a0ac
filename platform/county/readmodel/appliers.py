"""The county's read model hears every case event of every hall (fan-in)."""

from __future__ import annotations

from county.readmodel.services import readmodel_apply
from sites.cases.messages import CASE_EVENT, EVENT_TYPE
from sites.registry.tier import only_where
from sync.api import Reject, applier


@applier(EVENT_TYPE, owned=True, copies=True, payload=CASE_EVENT)
@only_where("keeps_read_model")  # only the county keeps the cross-site view
def case_event_received(envelope) -> None:
    payload = envelope.payload
    if not isinstance(payload, dict) or payload.get("number") != envelope.aggregate:
        raise Reject("办件事件与消息聚合编号不符")
    if payload.get("site") != envelope.origin:
        raise Reject("办件事件的站点与消息来源不符")
    try:
        readmodel_apply(payload=payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise Reject(f"办件事件不完整：{exc}") from exc

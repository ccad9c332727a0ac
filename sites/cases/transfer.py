"""Forwarding (上报 / 代收代办) and handing back: ownership moves to another hall by message.

The sender writes its last event and the transfer in one transaction; the receiver
materialises the case from the snapshot (state, ledger, timeline) and owns it from then on.
The event sequence continues across the move.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from county.catalogue.selectors import item_version_get
from sites.cases import lifecycle, signals
from sites.cases.clocks import case_clock_refresh
from sites.cases.models import Case, CaseEvent, ClockEntry, EventType
from sites.cases.outbound import ownership_send
from sites.registry.models import Site

CASE_FIELDS = (
    "number",
    "route",
    "status",
    "outcome",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "materials_received",
    "materials_deferred",
    "supplement_items",
    "query_code_hash",
    "seq",
)
TIMES = ("submitted_at", "accepted_at", "concluded_at", "closed_at")


def case_snapshot(case: Case) -> dict:
    """Everything the receiving hall needs to own the case (users stay behind: names only)."""
    data = {name: getattr(case, name) for name in CASE_FIELDS}
    data.update(
        {name: getattr(case, name).isoformat() if getattr(case, name) else None for name in TIMES}
    )
    data["item_code"] = case.item_version.item.code
    data["item_version"] = case.item_version.number
    data["origin_site"] = case.origin_site.code
    data["owner_site"] = case.owner_site.code
    data["ledger"] = [
        {
            "kind": e.kind,
            "days": e.days,
            "start": e.start.isoformat(),
            "end": e.end.isoformat() if e.end else None,
            "reason": e.reason,
        }
        for e in case.ledger.order_by("start", "id")
    ]
    data["events"] = [
        {
            "seq": e.seq,
            "type": e.type,
            "at": e.at.isoformat(),
            "site": e.site.code,
            "actor": e.actor_name,
            "data": e.data,
        }
        for e in case.events.select_related("site").order_by("seq")
    ]
    return data


def _move(case: Case, *, to: Site, by, here: Site, at: datetime, type: str, note: str) -> Case:
    old = case.owner_site
    case.owner_site = to
    data = {"from": here.code, "to": to.code, "note": (note or "").strip()[:500]}
    lifecycle.event_record(case, type=type, by=by, here=here, at=at, data=data)
    signals.case_owner_changed.send(sender=Case, case=case, old_site=old, new_site=to)
    ownership_send(case=case, to_site=to, snapshot=case_snapshot(case))
    return case


@transaction.atomic
def case_forward(*, case: Case, by, note: str = "", at: datetime | None = None) -> Case:
    """上报: the case goes to the parent hall, which owns it from now on."""
    step = lifecycle.transition(case=case, action="forward", at=at)
    case, here, at = step.case, step.here, step.at
    if here.parent_id is None:
        raise ValidationError({"case": "县政务服务中心没有上级站点，不能上报。"})
    if case.parts.exists():
        raise ValidationError({"case": "联办件已分送协办部门，由牵头站点会签办结，不能上报。"})
    case.route = [*case.route, here.code]
    return _move(case, to=here.parent, by=by, here=here, at=at, type=EventType.FORWARDED, note=note)


@transaction.atomic
def case_hand_back(*, case: Case, by, note: str = "", at: datetime | None = None) -> Case:
    """退回下级: the case goes back to the hall that forwarded it (e.g. to deliver the result)."""
    step = lifecycle.transition(case=case, action="hand_back", at=at)
    case, here, at = step.case, step.here, step.at
    if not case.route:
        raise ValidationError({"case": "该办件不是由下级上报的，无处退回。"})
    to = Site.objects.get(code=case.route[-1])
    case.route = case.route[:-1]
    return _move(case, to=to, by=by, here=here, at=at, type=EventType.HANDED_BACK, note=note)


@transaction.atomic
def case_materialise(*, snapshot: dict) -> Case:
    """The receiving side of a transfer: create or update the case from the snapshot.

    Idempotent: applying the same snapshot twice leaves one case with the same timeline.
    """
    version = item_version_get(code=snapshot["item_code"], number=snapshot["item_version"])
    if version is None:
        raise ValidationError({"item_code": f"本站点没有事项版本 {snapshot['item_code']}。"})
    sites = {s.code: s for s in Site.objects.all()}
    values = {name: snapshot[name] for name in CASE_FIELDS if name != "number"}
    values.update(
        {name: parse_datetime(snapshot[name]) if snapshot[name] else None for name in TIMES}
    )
    values.update(
        item_version=version,
        origin_site=sites[snapshot["origin_site"]],
        owner_site=sites[snapshot["owner_site"]],
    )
    existing = Case.objects.select_for_update().filter(number=snapshot["number"]).first()
    old_site = existing.owner_site if existing else None
    if existing is not None and existing.seq > snapshot["seq"]:
        return existing  # an older snapshot than what we hold
    case, created = Case.objects.update_or_create(number=snapshot["number"], defaults=values)
    case.ledger.all().delete()
    ClockEntry.objects.bulk_create(
        ClockEntry(
            case=case,
            kind=e["kind"],
            days=e["days"],
            start=parse_date(e["start"]),
            end=parse_date(e["end"]) if e["end"] else None,
            reason=e["reason"],
        )
        for e in snapshot["ledger"]
    )
    have = set(case.events.values_list("seq", flat=True))
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            seq=e["seq"],
            type=e["type"],
            at=parse_datetime(e["at"]),
            site=sites[e["site"]],
            actor_name=e["actor"],
            data=e["data"],
        )
        for e in snapshot["events"]
        if e["seq"] not in have
    )

    case_clock_refresh(case=case)
    case.save()
    if created:
        signals.case_created.send(sender=Case, case=case)
    if old_site is None or old_site.pk != case.owner_site_id:
        signals.case_owner_changed.send(
            sender=Case, case=case, old_site=old_site, new_site=case.owner_site
        )
    return case

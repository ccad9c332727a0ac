"""The county's read model of parts: folded from the case events that carry a part."""

from __future__ import annotations

from django.utils.dateparse import parse_date, parse_datetime

from sites.joint.models import PartRecord, PartState

PART_EVENTS = {"parts_opened", "opinion_given", "deemed_consent", "part_reassigned"}
CASE_ENDED = {"returned", "withdrawn"}


def _values(snap: dict, seq: int) -> dict:
    answered = snap.get("answered_at")
    return {
        "case_number": snap["case_number"],
        "last_seq": seq,
        "lead_site": snap["lead_site"],
        "department": snap["department"],
        "site": snap["site"],
        "window_number": snap["window"],
        "reviewer": snap["reviewer"],
        "generation": snap["generation"],
        "state": snap["state"],
        "budget_days": snap["budget_days"],
        "start": parse_date(snap["start"]),
        "deadline": parse_date(snap["deadline"]),
        "deadline_provisional": snap["deadline_provisional"],
        "warning_from": parse_date(snap["warning_from"]),
        "opened_at": parse_datetime(snap["opened_at"]),
        "opinion": snap["opinion"],
        "reasons": snap["reasons"],
        "answered_at": parse_datetime(answered) if answered else None,
        "answered_by": snap["answered_by"],
        "deemed_points": snap["deemed_points"],
        "reassignments": snap["reassignments"],
    }


def part_records_apply(*, payload: dict) -> int:
    """Apply one case event; idempotent and order-safe (a record keeps the highest seq)."""
    kind, seq, data = payload["type"], payload["seq"], payload.get("data") or {}
    if kind in CASE_ENDED:
        return PartRecord.objects.filter(
            case_number=payload["number"], state=PartState.OPEN, last_seq__lt=seq
        ).update(state=PartState.CANCELLED, last_seq=seq)
    if kind not in PART_EVENTS:
        return 0
    snaps = data["parts"] if kind == "parts_opened" else [data["part"]]
    changed = 0
    for snap in snaps:
        if snap["case_number"] != payload["number"]:
            raise ValueError("part of another case")
        record = PartRecord.objects.select_for_update().filter(key=snap["key"]).first()
        if record is None:
            PartRecord.objects.create(key=snap["key"], **_values(snap, seq))
        elif record.last_seq < seq:
            for name, value in _values(snap, seq).items():
                setattr(record, name, value)
            record.save()
        else:
            continue
        changed += 1
    return changed

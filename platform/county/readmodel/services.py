"""Writes to the read model: apply one case event (idempotent, in order), rebuild from facts."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from county.readmodel.models import CaseFact, CaseRecord


def _record_values(payload: dict, *, was_overdue: bool, decided_site: str) -> dict:
    case = payload["case"]
    accepted = parse_datetime(case["accepted_at"]) if case["accepted_at"] else None
    concluded = parse_datetime(case["concluded_at"]) if case["concluded_at"] else None
    deadline = parse_date(case["deadline"]) if case["deadline"] else None
    late = case["clock_state"] == "overdue" or bool(
        concluded and deadline and timezone.localdate(concluded) > deadline
    )
    return {
        "last_seq": payload["seq"],
        "status": case["status"],
        "outcome": case["outcome"],
        "owner_site": case["owner_site"],
        "origin_site": case["origin_site"],
        "decided_site": decided_site,
        "item_code": case["item_code"],
        "item_name": case["item_name"],
        "item_version": case["item_version"],
        "handling_type": case["handling_type"],
        "legal_limit_days": case["legal_limit_days"],
        "promised_limit_days": case["promised_limit_days"],
        "submitted_at": parse_datetime(case["submitted_at"]),
        "accepted_at": accepted,
        "concluded_at": concluded,
        "same_day": bool(
            accepted and concluded and timezone.localdate(accepted) == timezone.localdate(concluded)
        ),
        "deadline": deadline,
        "deadline_provisional": case["deadline_provisional"],
        "clock_state": case["clock_state"],
        "days_used": case["days_used"],
        "was_overdue": was_overdue or late,
        "query_code_hash": case.get("query_code_hash", ""),
    }


def _fold(record: CaseRecord | None, payload: dict) -> dict:
    decided = record.decided_site if record else ""
    if payload["type"] == "decided":
        decided = payload["site"]
    return _record_values(
        payload, was_overdue=bool(record and record.was_overdue), decided_site=decided
    )


@transaction.atomic
def readmodel_apply(*, payload: dict) -> bool:
    """Store one event and move the record forward; False when it was already there.

    Events may arrive out of order across halls (a forward races a late event); the record
    only ever takes the state of the highest seq seen.
    """
    _fact, created = CaseFact.objects.get_or_create(
        number=payload["number"],
        seq=payload["seq"],
        defaults={
            "type": payload["type"],
            "at": parse_datetime(payload["at"]),
            "site_code": payload["site"],
            "actor": payload.get("actor", ""),
            "payload": payload,
        },
    )
    if not created:
        return False
    record = CaseRecord.objects.select_for_update().filter(number=payload["number"]).first()
    if record is None:
        CaseRecord.objects.create(number=payload["number"], **_fold(None, payload))
    elif payload["seq"] > record.last_seq:
        for name, value in _fold(record, payload).items():
            setattr(record, name, value)
        record.save()
    elif payload["type"] == "decided" or payload["case"]["clock_state"] == "overdue":
        # A late older event still carries facts the record must keep.
        record.decided_site = record.decided_site or payload["site"]
        record.was_overdue = record.was_overdue or payload["case"]["clock_state"] == "overdue"
        record.save(update_fields=["decided_site", "was_overdue"])
    return True


@transaction.atomic
def readmodel_rebuild() -> int:
    """Throw the records away and fold every fact again, in order; returns the case count."""
    CaseRecord.objects.all().delete()
    records: dict[str, dict] = {}
    for fact in CaseFact.objects.order_by("number", "seq").iterator(chunk_size=2000):
        previous = records.get(fact.number)
        holder = CaseRecord(**previous) if previous else None
        records[fact.number] = _fold(holder, fact.payload)
    CaseRecord.objects.bulk_create(
        [CaseRecord(number=number, **values) for number, values in records.items()],
        batch_size=1000,
    )
    return len(records)

"""What notify sends through sync/: each notification's final outcome, to the county
(fan-in), for e-supervision's list of failed notifications and the monthly figures.
Written in the transaction that records the outcome, so it is never lost."""

from __future__ import annotations

from sync import api

OUTCOME_TYPE = "notify.outcome"


def outcome_payload(row) -> dict:
    return {
        "key": row.key,
        "site": row.site.code,
        "case_number": row.case_number,
        "kind": row.kind,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "done_at": row.done_at.isoformat(),
    }


def outcome_send(row) -> None:
    api.outbox_put(type=OUTCOME_TYPE, aggregate="", payload=outcome_payload(row), dest=api.fanin())

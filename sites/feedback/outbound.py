"""What feedback sends through sync/: ratings and complaints go to the county (fan-in)."""

from __future__ import annotations

from sync import api

RATING_TYPE = "feedback.rating"
COMPLAINT_TYPE = "feedback.complaint"


def fanin() -> str:
    return api.fanin()


def rating_send(*, payload: dict) -> None:
    api.outbox_put(type=RATING_TYPE, aggregate="", payload=payload, dest=api.fanin())


def complaint_send(*, payload: dict) -> None:
    api.outbox_put(type=COMPLAINT_TYPE, aggregate="", payload=payload, dest=api.fanin())

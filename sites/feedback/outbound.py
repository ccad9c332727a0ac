"""What feedback sends through sync/: ratings and complaints go to the county (fan-in)."""

from __future__ import annotations

from sync import api

RATING_TYPE = "feedback.rating"
COMPLAINT_TYPE = "feedback.complaint"
ANSWER_TYPE = "feedback.answer"  # the county tells the hall where it was filed: progress


def fanin() -> str:
    return api.fanin()


def rating_send(*, payload: dict) -> None:
    api.outbox_put(type=RATING_TYPE, aggregate="", payload=payload, dest=api.fanin())


def complaint_send(*, payload: dict) -> None:
    api.outbox_put(type=COMPLAINT_TYPE, aggregate="", payload=payload, dest=api.fanin())


def answer_send(*, dest: str, kind: str, key: str, state: str, reply: str, at) -> None:
    """Back to the hall where a rating was given or a complaint filed, so that the citizen
    asking there sees the reply (nothing is sent to the county itself)."""
    if not dest or dest == api.fanin():
        return
    payload = {"kind": kind, "key": key, "state": state, "reply": reply, "at": at.isoformat()}
    api.outbox_put(type=ANSWER_TYPE, aggregate="", payload=payload, dest=dest)

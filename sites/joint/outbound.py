"""What joint approvals send between halls (sync.api), inside the caller's transaction.

Control messages, not an aggregate chain: the lead owns the case chain, and a part's hall
never owns anything. Each message names the part's `generation`; receivers refuse or
ignore what belongs to an older assignment, so order across reassignments is safe.
"""

from __future__ import annotations

from sites.joint.models import Part
from sites.joint.snapshot import part_snapshot
from sync import api

ASSIGN = "joint.part.assign"  # lead → the part's hall: handle this part
WITHDRAW = "joint.part.withdraw"  # lead → the old hall: moved away, deemed or cancelled
OPINION = "joint.part.opinion"  # the part's hall → lead: the department's opinion


def part_send(*, part: Part) -> None:
    api.outbox_put(type=ASSIGN, aggregate="", dest=part.site.code, payload=part_snapshot(part))


def part_withdraw_send(*, part: Part, site_code: str, generation: int, state: str, note: str):
    payload = {
        "key": part.key,
        "generation": generation,
        "state": state,
        "note": note,
    }
    api.outbox_put(type=WITHDRAW, aggregate="", dest=site_code, payload=payload)


def opinion_send(*, part: Part) -> None:
    payload = {
        "key": part.key,
        "generation": part.generation,
        "opinion": part.opinion,
        "reasons": part.reasons,
        "materials": part.opinion_materials,
        "answered_at": part.answered_at.isoformat(),
        "answered_by": part.answered_by,
    }
    api.outbox_put(type=OPINION, aggregate="", dest=part.lead_site.code, payload=payload)

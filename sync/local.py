"""A message addressed to this hall itself: applied in the caller's transaction.

The county keeps its read model from the case events of every hall, its own included.
Its own events take this path instead of the broker, so the same registered appliers
run, once, in the transaction of the change that caused them: no outbox row, no inbox
row, no chain step (the chain orders what travels between halls).
"""

from __future__ import annotations

from sync.envelope import Envelope
from sync.registry import appliers_for


def local_apply(envelopes: list[Envelope]) -> list[Envelope]:
    """Run every applier registered for each envelope's type, in order. A Reject raised
    here is the caller's bug, not a bad message: it propagates and undoes the change."""
    for env in envelopes:
        found = appliers_for(type=env.type, schema=env.schema)
        if found is None:
            raise LookupError(f"no applier here for {env.type} v{env.schema}")
        for applier in found:
            applier.fn(env)
    return envelopes

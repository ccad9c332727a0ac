"""Appliers: the handlers that apply a received message type at this node.

Handlers live in `<app>/appliers.py` (autodiscovered when the app registry is ready) and are
plain functions `handler(envelope) -> None` run inside the inbox transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sync.envelope import Envelope
from sync.schema import Obj

Handler = Callable[[Envelope], None]
BatchHandler = Callable[[list[Envelope]], None]


@dataclass(frozen=True)
class Applier:
    fn: Handler
    owned: bool
    copies: bool
    many: BatchHandler | None = None  # optional: the same effect for a run of envelopes
    payload: Obj | None = None  # checked before any handler of the message runs


_APPLIERS: dict[tuple[str, int], list[Applier]] = {}


def applier(
    type: str,
    *,
    schema: int = 1,
    owned: bool = False,
    copies: bool = False,
    payload: Obj | None = None,
):
    """Register `handler(envelope)` for messages of `type` and `schema`.

    owned:  refuse ("not owner") a message whose origin is not the aggregate's owner as
            known at this node.
    copies: also run for messages addressed to another site that reach this node through a
            topology binding (the county's read model receives every case message; a
            transfer to t-maan arrives at the county as a copy with `dest == "t-maan"`).
            Without it a handler runs only for messages addressed to this site.
    payload: the schema (sync.schema) the payload must fit, checked before any write; a
            message that does not fit is quarantined with the reason.
    """

    def register(fn: Handler) -> Handler:
        found = _APPLIERS.setdefault((type, schema), [])
        if not any(a.fn is fn for a in found):
            found.append(Applier(fn=fn, owned=owned, copies=copies, payload=payload))
        return fn

    return register


def applier_many(handler: Handler):
    """Register `many(envelopes)` as the batch form of the applier `handler`.

    The inbox calls it with a run of consecutive envelopes that `handler` would have got one
    by one, inside the batch transaction; it must have exactly the effect of
    `for e in envelopes: handler(e)`. If it raises (Reject or anything else), the batch is
    redone one message at a time with `handler`, so only the bad message is quarantined.
    """

    def register(many: BatchHandler) -> BatchHandler:
        found = [(key, i, a) for key, lst in _APPLIERS.items() for i, a in enumerate(lst)]
        hits = [(key, i, a) for key, i, a in found if a.fn is handler]
        if not hits:
            raise LookupError(f"{handler!r} is not a registered applier")
        for key, i, a in hits:
            _APPLIERS[key][i] = replace(a, many=many)
        return many

    return register


def appliers_for(*, type: str, schema: int) -> list[Applier] | None:
    """Registered appliers, or None when the type/schema is unknown here."""
    found = _APPLIERS.get((type, schema))
    if found is None:
        return None
    return found


def known_types() -> set[str]:
    return {t for t, _ in _APPLIERS}

"""The public face of sync/: what other apps call. Import from here only.

outbox_put(*, type, aggregate, payload, dest, schema=1) -> Envelope
    Inside the caller's transaction.atomic(). With an `aggregate` (a case number) the
    message joins that aggregate's chain: `seq` continues across ownership transfers.
    Only the aggregate's owner writes to its chain (NotOwner otherwise). Every
    aggregate message also reaches the fan-in hall (topology binding "*.agg.#"),
    whatever `dest` says; there a handler sees copies only with applier(..., copies=True).
    With `dest` this hall itself, the registered appliers run at once in the caller's
    transaction (no outbox row): the fan-in hall's own events reach its read model so.
fanin() -> str                          the hall that hears every aggregate message
ownership_transfer(*, aggregate, to_site, payload, type="case.transfer", schema=1)
    -> Envelope. The current owner moves ownership; `payload` is the snapshot the
    receiver's applier for `type` materialises. The county learns the new owner.
applier(type, *, schema=1, owned=False, copies=False, payload=None)
    Decorator: handler(envelope) -> None, run in the inbox transaction. Put handlers
    in `<app>/appliers.py` (autodiscovered). `payload`: an Obj({...}) of Str, Int, Bool,
    Date, DateTime, Dec, List, Obj checked before any write (a misfit is quarantined);
    of(model_field, **changes) is the kind whose limits come from a model field.
applier_many(handler)
    Decorator: many(envelopes) -> None, the batch form of an applier (same effect as
    calling the handler for each, in order); the inbox uses it for runs in a batch.
outbox_put_many([Outgoing(type, aggregate, payload, dest, schema=1), ...]) -> [Envelope]
    Several messages in the caller's transaction, in order, with a fixed number of
    statements (a writer filing many events at once).
owner_of(aggregate) -> str | None      the owner as known at this node
issuer_of(key) -> str | None           the hall whose numbers `key` is ("<hall>-..."), if any
Reject(reason)                          raise in a handler to quarantine the message
own_key() / key_rotate()                this hall's Ed25519 key (sync/keys.py); rotating
                                        returns the new key, certified by the old one
kid_of, pinned_keys, certificate_valid, keys_changed   the public-key registry (ADR 0012)
Envelope                                id, type, schema, origin, dest, aggregate, seq,
                                        prev, at, payload, meta, sig
"""

from sync.chain import issuer_of, owner_of
from sync.config import fanin
from sync.envelope import Envelope, Reject
from sync.keys import certificate_valid, key_rotate, keys_changed, kid_of, own_key, pinned_keys
from sync.outbox import NotOwner, Outgoing, outbox_put, outbox_put_many, ownership_transfer
from sync.registry import applier, applier_many
from sync.schema import Bool, Date, DateTime, Dec, Int, List, Obj, Str, of

__all__ = [
    "Bool",
    "Date",
    "DateTime",
    "Dec",
    "Envelope",
    "Int",
    "List",
    "NotOwner",
    "Obj",
    "Outgoing",
    "Reject",
    "Str",
    "applier",
    "applier_many",
    "certificate_valid",
    "fanin",
    "issuer_of",
    "key_rotate",
    "keys_changed",
    "kid_of",
    "of",
    "outbox_put",
    "outbox_put_many",
    "own_key",
    "owner_of",
    "ownership_transfer",
    "pinned_keys",
]

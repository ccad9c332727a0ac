"""Applying received messages: one transaction per batch, a unique inbox row per message.

Per aggregate the chain is applied in seq order: a message whose predecessor has not
arrived is held (and applied when the gap fills); an old seq is a duplicate. The county
sees every chain whole, so there the predecessor is seq - 1; elsewhere it is the
envelope's `prev` (the last seq of the chain that this site saw).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from sync import bulk, chain, keys
from sync.config import fanin
from sync.envelope import Envelope, Reject, envelope_dumps, envelope_parse
from sync.models import (
    AggregateState,
    HeldMessage,
    InboxMessage,
    OriginState,
    QuarantinedMessage,
)
from sync.registry import Applier, appliers_for
from sync.schema import int_range, payload_check

log = logging.getLogger("sync.inbox")

QUARANTINE_KEEP = 64_000  # bytes of a refused body kept for inspection


def _field(model, name: str):
    return model._meta.get_field(name)


# What the envelope's own values land in (inbox, held gaps, chains): checked before anything
# is written, so that no value of one message can fail the statements of its whole batch.
SEQ_MAX = min(
    int_range(_field(m, n))[1]
    for m, n in ((InboxMessage, "seq"), (HeldMessage, "after"), (AggregateState, "seq"))
)
TYPE_MAX = min(_field(InboxMessage, "type").max_length, _field(OriginState, "last_type").max_length)
AGGREGATE_MAX = min(
    _field(m, "aggregate" if m is not AggregateState else "key").max_length
    for m in (InboxMessage, HeldMessage, AggregateState)
)


def envelope_bounds(env: Envelope) -> str | None:
    """Why `env`'s own fields cannot be stored here (None when they can)."""
    if env.seq > SEQ_MAX or env.prev > SEQ_MAX:
        return f"out of range: seq {env.seq} / prev {env.prev} > {SEQ_MAX}"[:200]
    if len(env.type) > TYPE_MAX:
        return f"out of range: type longer than {TYPE_MAX}"
    if len(env.aggregate) > AGGREGATE_MAX:
        return f"out of range: aggregate longer than {AGGREGATE_MAX}"
    return None


def _usable() -> bool:
    """Whether this node's database connection still works (else the error is the node's)."""
    try:
        return connection.connection is not None and connection.is_usable()
    except Exception:  # a broken connection may raise anything while being asked
        return False


# What the database refuses of one statement (NOT NULL, a length, a value psycopg cannot
# adapt or PostgreSQL cannot hold) is the message's fault: quarantined. A lost connection,
# a deadlock or a serialization failure (OperationalError) is this node's: crash-only, the
# broker redelivers, and the queue's delivery limit dead-letters a body that keeps failing.
NODE_ERRORS = (OperationalError, InterfaceError)


class _Redo(Exception):
    """A handler failed in the fast path: redo the batch one savepoint per message."""


@dataclass
class BatchResult:
    applied: int = 0
    duplicate: int = 0
    held: int = 0
    quarantined: list[str] = field(default_factory=list)  # reasons, in input order
    refused: set[str] = field(default_factory=set)  # sha256 of the refused bodies

    def as_dict(self) -> dict:
        return {
            "applied": self.applied,
            "duplicate": self.duplicate,
            "held": self.held,
            "quarantined": len(self.quarantined),
        }


def _text(value, limit: int) -> str:
    """`value` as text a PostgreSQL text column holds: no NUL (nor other control
    characters, which only garble a listing), cut to the column's length."""
    text = str(value)
    if not text.isprintable():
        text = "".join(c if c.isprintable() else "\ufffd" for c in text)
    return text[:limit]


def _claimed(body: bytes) -> dict:
    """What a refused body says about itself, for the quarantine listing (best effort)."""
    try:
        data = json.loads(body)
        if isinstance(data, dict):
            return {k: data.get(k) or "" for k in ("origin", "id", "type")}
    except (ValueError, UnicodeDecodeError, RecursionError):
        pass
    return {}


def _because(exc: BaseException) -> str:
    return f"apply failed: {type(exc).__name__}: {exc}"


def _quarantine_row(body: bytes, reason: str) -> QuarantinedMessage:
    claimed = _claimed(body) if len(body) <= settings.HALL_SYNC_MAX_BYTES else {}
    return QuarantinedMessage(
        digest=hashlib.sha256(body).hexdigest(),
        reason=_text(reason, 200),
        origin=_text(claimed.get("origin", ""), 40),
        msg_id=_text(claimed.get("id", ""), 64),
        type=_text(claimed.get("type", ""), 60),
        body=bytes(body[:QUARANTINE_KEEP]),  # bytes: any body, NUL included, is kept as sent
        size=len(body),
    )


class _Batch:
    def __init__(self, *, careful: bool) -> None:
        self.careful = careful
        self.here = settings.HALL_SITE
        self.result = BatchResult()
        self.inbox: list[Envelope] = []  # to record in the inbox at flush
        self.seen_ids: set[tuple[str, str]] = set()
        self.quarantine: list[QuarantinedMessage] = []
        self.origins: dict[str, OriginState] = {}
        self.now = timezone.now()
        self.held_aggregates: set[str] = set()
        self.run_applier: Applier | None = None  # the pending run of a batch-capable applier
        self.run: list[Envelope] = []
        self._undo: tuple | None = None  # the chain state before the message being applied

    # -- one message -------------------------------------------------------------
    def take(self, body: bytes, env: Envelope | Reject, sender: str | None = "") -> None:
        """`env`: the body parsed once by the caller, or why it was refused. `sender`: the
        broker account that published it (None: none said; "": not checked)."""
        if isinstance(env, Reject):
            self._refuse(body, env.reason)
            return
        problem = envelope_bounds(env) or _account_problem(env, sender)
        if problem:
            self._refuse(body, problem)
            return
        if (env.origin, env.id) in self.seen_ids:
            self.result.duplicate += 1
            return
        if env.origin == self.here:
            # Our own message (the signature says so), echoed back by the county's binding of
            # every aggregate message: its effect is already here. Not a bad message.
            self.result.duplicate += 1
            return
        appliers = appliers_for(type=env.type, schema=env.schema)
        if appliers is None:
            self._refuse(body, f"unknown type or schema: {env.type} v{env.schema}")
            return
        if env.dest != self.here and not (self.here == fanin() and env.aggregate):
            # Only the county receives copies by topology (every case message, "*.agg.#")
            self._refuse(body, f"misrouted: for {env.dest}, not {self.here}")
            return
        try:
            for applier in appliers:
                payload_check(applier.payload, env.payload)
        except Reject as exc:
            self._refuse(body, exc.reason)
            return
        self._guarded(env, body)

    def _guarded(self, env: Envelope, body: bytes) -> None:
        if not self.careful:
            self._route(env, body)
            return
        mark = self._mark(env)
        try:
            # One savepoint per message: whatever fails of this message (the database's
            # refusal, a handler's bug) is undone alone and the batch goes on.
            with transaction.atomic():
                self._route(env, body)
        except Exception as exc:
            if isinstance(exc, NODE_ERRORS) and not _usable():
                raise  # the node's fault (connection lost): the broker redelivers
            self._restore(env, mark)
            what = "database refused" if isinstance(exc, DatabaseError) else "apply failed"
            self._refuse(body, f"{what}: {type(exc).__name__}: {exc}")

    def _mark(self, env: Envelope) -> tuple:
        """The batch's bookkeeping before one message (careful pass only: a copy each)."""
        r = self.result
        origins = {k: (v.last_msg_id, v.last_type, v.applied) for k, v in self.origins.items()}
        st = chain.state_get(env.aggregate) if env.aggregate else None
        before = (st.owner, st.seq, dict(st.seen)) if st else None
        counts = (r.applied, r.duplicate, r.held)
        return (len(self.inbox), set(self.seen_ids), counts, origins, before)

    def _restore(self, env: Envelope, mark: tuple) -> None:
        """Forget what a message that failed half way had booked (its effect was undone)."""
        n, seen, (applied, duplicate, held), origins, before = mark
        self._undo = None
        if env.aggregate:
            if before is None:
                chain.state_forget(env.aggregate)
            else:
                st = chain.state_get(env.aggregate)
                st.owner, st.seq, st.seen = before
        del self.inbox[n:]
        self.seen_ids = seen
        self.result.applied, self.result.duplicate, self.result.held = applied, duplicate, held
        for key in list(self.origins):
            if key not in origins:
                del self.origins[key]
            else:
                row = self.origins[key]
                row.last_msg_id, row.last_type, row.applied = origins[key]

    def _route(self, env: Envelope, body: bytes) -> None:
        self._undo = None
        if not env.aggregate:
            self._apply(env, body, state=None)
            return
        state = chain.state_get(env.aggregate)
        if state is None:
            issuer = chain.issuer_of(env.aggregate)
            if issuer is not None and issuer != env.origin:
                # A number another hall issued: only that hall starts its chain; others
                # take part in it only by a transfer from its owner.
                self._refuse(
                    body, f"not issuer: {env.aggregate} is numbered by {issuer}, not {env.origin}"
                )
                return
        known = state.seq if state else 0
        if env.seq <= known:
            self._record(env)  # an old seq: a duplicate of what this chain already has
            self.result.duplicate += 1
            return
        after = env.seq - 1 if self.here == fanin() else env.prev
        if after > known:
            HeldMessage.objects.bulk_create(
                [
                    HeldMessage(
                        aggregate=env.aggregate,
                        after=after,
                        origin=env.origin,
                        msg_id=env.id,
                        body=body.decode(),
                    )
                ],
                ignore_conflicts=True,
            )
            self.seen_ids.add((env.origin, env.id))
            self.held_aggregates.add(env.aggregate)
            self.result.held += 1
            return
        self._apply(env, body, state=state)
        self._release_held(env.aggregate)

    def _release_held(self, aggregate: str) -> None:
        if aggregate not in self.held_aggregates:
            return  # nothing waits on this chain: no query per message
        while True:
            state = chain.state_get(aggregate)
            if state is None:
                return  # the message was refused and its new chain forgotten
            held = HeldMessage.objects.filter(aggregate=aggregate, after=state.seq).first()
            if held is None:
                return
            held.delete()
            self.seen_ids.discard((held.origin, str(held.msg_id)))
            self.result.held -= 1
            self._guarded(envelope_parse(held.body.encode()), held.body.encode())

    def _apply(self, env: Envelope, body: bytes, *, state: AggregateState | None) -> None:
        owner_before = state.owner if state else None
        if env.aggregate:
            self._advance(env, state)
        appliers = appliers_for(type=env.type, schema=env.schema) or []
        addressed = env.dest == self.here
        for applier in appliers:
            if not (addressed or applier.copies):
                continue
            if applier.owned and not self._owner_ok(env, owner_before):
                self._refuse(body, f"not owner: {env.origin} does not own {env.aggregate}")
                self._rollback_chain(env, state)
                return
            if not self.careful:
                self._call(applier, env)
                continue
            try:
                with transaction.atomic():
                    applier.fn(env)
            except Reject as exc:
                self._refuse(body, exc.reason)
                self._rollback_chain(env, state)
                return
            except DatabaseError:
                raise  # to the message's savepoint (_guarded), which tells whose fault
            except Exception as exc:  # a poison message must not stop the consumer
                self._refuse(body, f"handler failed: {type(exc).__name__}: {exc}")
                self._rollback_chain(env, state)
                return
        self._record(env)
        self.result.applied += 1

    def _call(self, applier: Applier, env: Envelope) -> None:
        """Fast path. Consecutive calls of one batch-capable applier are gathered into a run
        and handed over at once; any other handler first flushes the run, so handlers see
        effects in message order exactly as if each ran alone."""
        if applier.many is not None:
            if self.run_applier is not applier:
                self.flush_run()
                self.run_applier = applier
            self.run.append(env)
            return
        self.flush_run()
        try:
            applier.fn(env)
        except Exception as exc:
            raise _Redo() from exc

    def flush_run(self) -> None:
        applier, run = self.run_applier, self.run
        self.run_applier, self.run = None, []
        if not run:
            return
        try:
            applier.many(run)
        except Exception as exc:  # one bad message: redo the batch one by one
            raise _Redo() from exc

    def _owner_ok(self, env: Envelope, owner: str | None) -> bool:
        if owner is None:
            return env.seq == 1 or self.here != fanin()  # the first message names the owner
        if self.here == fanin():
            return env.origin == owner  # the county sees every transfer
        # Elsewhere transfers between other sites are invisible: refuse only a change to
        # what this site owns itself, and otherwise learn the owner from the chain.
        return owner != self.here

    def _advance(self, env: Envelope, state: AggregateState | None) -> None:
        created = state is None
        if created:
            state = AggregateState(key=env.aggregate, owner=env.origin, seq=0, seen={})
        self._undo = (state.owner, state.seq, dict(state.seen), created)
        transfer = env.meta.get("transfer") if isinstance(env.meta, dict) else None
        state.seq = env.seq
        if transfer:
            state.owner = str(transfer.get("owner") or env.dest)
            if env.dest == self.here:
                state.seen = dict(transfer.get("seen") or {})
        elif self.here != fanin() and state.owner != self.here:
            state.owner = env.origin  # learnt from the chain (see _owner_ok)
        state.seen = {**state.seen, self.here: env.seq}
        chain.state_save(state, created=created)

    def _rollback_chain(self, env: Envelope, state: AggregateState | None) -> None:
        """A refused chain message does not advance the chain (a later fix can fill it)."""
        if not env.aggregate or self._undo is None:
            return
        owner, seq, seen, created = self._undo
        self._undo = None
        if created:
            chain.state_forget(env.aggregate)  # no row left: it would claim the number
            return
        st = chain.state_get(env.aggregate)
        st.owner, st.seq, st.seen = owner, seq, seen

    def _record(self, env: Envelope) -> None:
        self.seen_ids.add((env.origin, env.id))
        self.inbox.append(env)
        row = self.origins.get(env.origin)
        if row is None:
            row = self.origins[env.origin] = OriginState(origin=env.origin, last_msg_id=env.id)
        row.last_msg_id, row.last_type, row.last_at = env.id, env.type, self.now
        row.applied = (row.applied or 0) + 1

    def _refuse(self, body: bytes, reason: str) -> None:
        row = _quarantine_row(body, reason)
        self.quarantine.append(row)
        self.result.quarantined.append(reason)
        self.result.refused.add(row.digest)

    # -- the batch ---------------------------------------------------------------
    def flush(self) -> None:
        _inbox_insert(self.inbox, self.now)
        QuarantinedMessage.objects.bulk_create(self.quarantine, ignore_conflicts=True)
        existing = OriginState.objects.in_bulk(list(self.origins))
        for origin, row in self.origins.items():
            old = existing.get(origin)
            row.applied = (old.applied if old else 0) + row.applied
        OriginState.objects.bulk_create(
            list(self.origins.values()),
            update_conflicts=True,
            unique_fields=["origin"],
            update_fields=["last_msg_id", "last_type", "last_at", "applied"],
        )


INBOX = {
    "origin": "text",
    "msg_id": "uuid",
    "type": "text",
    "aggregate": "text",
    "seq": "integer",
    "applied_at": "timestamptz",
}


def _inbox_insert(envs: list[Envelope], now) -> None:
    """The batch's inbox rows in one statement; the unique (origin, msg_id) index makes a
    concurrent or repeated apply of the same message fail the whole transaction."""
    if not envs:
        return
    if connection.vendor == "postgresql":
        at = now.isoformat()
        rows = [
            {"origin": e.origin, "msg_id": e.id, "type": e.type, "aggregate": e.aggregate}
            | {"seq": e.seq, "applied_at": at}
            for e in envs
        ]
        with connection.cursor() as cur:
            cur.execute(
                bulk.insert_sql(InboxMessage._meta.db_table, INBOX), [bulk.rows_param(rows)]
            )
        return
    InboxMessage.objects.bulk_create(
        [
            InboxMessage(
                origin=e.origin, msg_id=e.id, type=e.type, aggregate=e.aggregate, seq=e.seq
            )
            for e in envs
        ]
    )


def _parse(body: bytes) -> Envelope | Reject:
    try:
        return envelope_parse(body)
    except Reject as exc:
        return exc


def _known(envs: list[Envelope]) -> set[tuple[str, str]]:
    """(origin, id) pairs of this batch already in the inbox: one indexed query per origin
    (the unique (origin, msg_id) index; msg_id alone would scan the whole inbox)."""
    by_origin: dict[str, list[str]] = {}
    for env in envs:
        by_origin.setdefault(env.origin, []).append(env.id)
    if not by_origin:
        return set()
    if connection.vendor == "postgresql":
        # Two array parameters instead of an ORM filter of a thousand UUIDs (compiling it
        # cost more than running it); the index serves both arrays, pairs are checked here.
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT origin, msg_id::text FROM {InboxMessage._meta.db_table} "
                "WHERE origin = ANY(%s::text[]) AND msg_id = ANY(%s::uuid[])",
                [list(by_origin), [i for ids in by_origin.values() for i in ids]],
            )
            wanted = {(env.origin, env.id) for env in envs}
            return {row for row in cur.fetchall() if row in wanted}
    q = Q()
    for origin, ids in by_origin.items():
        q |= Q(origin=origin, msg_id__in=ids)
    rows = InboxMessage.objects.filter(q).values_list("origin", "msg_id")
    return {(o, str(i)) for o, i in rows}


def _account_problem(env: Envelope, sender: str | None) -> str | None:
    """With per-hall broker accounts (HALL_SYNC_BROKER_ACCOUNTS, the accounts' prefix), the
    account that published a message must be its origin's: a second check besides the
    signature (docs/decisions/0012, 0020). `sender` "" means not checked (not from a broker
    that says, or accounts off)."""
    prefix = getattr(settings, "HALL_SYNC_BROKER_ACCOUNTS", "")
    if not prefix or sender == "":
        return None
    if sender is None:
        return "broker account: no user_id"
    if sender != f"{prefix}{env.origin}":
        return f"broker account: {_text(sender, 60)} is not {prefix}{env.origin}"
    return None


def inbox_apply(
    *,
    bodies: list[bytes],
    refused: dict[int, str] | None = None,
    senders: list[str | None] | None = None,
) -> BatchResult:
    """Apply a batch of received bodies in one transaction; returns what happened.

    Each body is parsed and verified once. The fast pass calls handlers directly (batch
    forms where registered); if anything fails, the transaction is rolled back and the
    batch redone with a savepoint per message, so a bad message is quarantined alone. If
    even that fails (a fault outside any one message's savepoint), each message is applied
    in a transaction of its own and one that still fails is quarantined with the error:
    every body ends applied or quarantined, and only a lost database connection (the
    node's fault, not the message's) escapes to the caller, which does not ack.
    `refused`: index → reason for bodies the transport already refused (too big to read).
    `senders`: the broker account that published each body (see _account_problem).
    """
    refused = refused or {}
    keys_at_parse = keys.generation()
    parsed = [
        (body, Reject(refused[i]) if i in refused else _parse(body))
        for i, body in enumerate(bodies)
    ]
    accounts = senders if senders is not None else [""] * len(bodies)
    items = list(zip(parsed, accounts, strict=True))
    for careful in (False, True):
        try:
            return _run(items, careful=careful, keys_at_parse=keys_at_parse)
        except _Redo:
            continue
        except Exception as exc:
            if isinstance(exc, NODE_ERRORS) and not _usable():
                raise
            log.warning("inbox batch (careful=%s) failed: %s", careful, _because(exc))
    return _one_by_one(items, keys_at_parse=keys_at_parse)


def _one_by_one(items: list, *, keys_at_parse: int) -> BatchResult:
    total = BatchResult()
    for item in items:
        try:
            result = _run([item], careful=True, keys_at_parse=keys_at_parse)
        except Exception as exc:
            if isinstance(exc, NODE_ERRORS) and not _usable():
                raise
            (body, _), _ = item
            row = _quarantine_row(body, _because(exc))
            with transaction.atomic():
                QuarantinedMessage.objects.bulk_create([row], ignore_conflicts=True)
            result = BatchResult(quarantined=[row.reason], refused={row.digest})
        total.applied += result.applied
        total.duplicate += result.duplicate
        total.held += result.held
        total.quarantined += result.quarantined
        total.refused |= result.refused
    return total


def _run(items: list, *, careful: bool, keys_at_parse: int = 0) -> BatchResult:
    """`items`: ((body, parsed envelope or Reject), broker account) per message."""
    batch = _Batch(careful=careful)
    envs = [env for (_, env), _ in items if isinstance(env, Envelope)]
    aggregates = {env.aggregate for env in envs if env.aggregate}
    ok = False
    try:
        with transaction.atomic():
            chain.batch_begin(aggregates)
            batch.seen_ids = _known(envs)
            if aggregates:
                batch.held_aggregates = set(
                    HeldMessage.objects.filter(aggregate__in=aggregates).values_list(
                        "aggregate", flat=True
                    )
                )
            for (body, env), sender in items:
                if (
                    isinstance(env, Reject)
                    and env.reason.startswith(keys.UNKNOWN_KEY)
                    and keys.generation() != keys_at_parse
                ):
                    # An earlier message of this batch (a release) brought new keys.
                    env = _parse(body)
                batch.take(body, env, sender)
            batch.flush_run()
            chain.batch_end(commit=True)
            batch.flush()
            ok = True
    finally:
        if not ok:
            chain.batch_end(commit=False)
    return batch.result


def last_chance_note(body: bytes, reason: str) -> str:
    """Commit a quarantine row for a body on its last delivery, before it is tried: if the
    node dies with it once more, the broker dead-letters it and the row says why (the
    delivery limit). Idempotent: one row per body (its digest). Returns the digest."""
    row = _quarantine_row(body, reason)
    with transaction.atomic():
        QuarantinedMessage.objects.bulk_create([row], ignore_conflicts=True)
    return row.digest


def last_chance_settle(digest: str, result: BatchResult) -> None:
    """The last try finished: an applied (or duplicate, or held) body loses its note; a
    refused one keeps the row with the inbox's own reason."""
    notes = QuarantinedMessage.objects.filter(digest=digest, reason__startswith=LAST_CHANCE)
    if digest in result.refused:
        notes.update(reason=_text(result.quarantined[0], 200))
    else:
        notes.delete()


LAST_CHANCE = "delivery limit: "

__all__ = [
    "LAST_CHANCE",
    "BatchResult",
    "envelope_dumps",
    "inbox_apply",
    "last_chance_note",
    "last_chance_settle",
]

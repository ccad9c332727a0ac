"""Writing to the outbox: a message commits with the domain change that caused it.

`outbox_put_many` files several messages in the caller's transaction with a fixed number of
statements whatever their count (lock the chains, then write chains and rows); `outbox_put`
is the one-message case. On PostgreSQL the chain update and the outbox insert travel as one
statement, so a single event costs two round trips (lock-read, write).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from sync import bulk
from sync.chain import in_batch, state_get, state_save, states_lock
from sync.config import site_codes
from sync.envelope import Envelope, envelope_build, envelope_dumps, envelopes_sign
from sync.local import local_apply
from sync.models import AggregateState, OutboxMessage


class NotOwner(Exception):
    """This node may not write to an aggregate another site owns."""


@dataclass(frozen=True)
class Outgoing:
    """One message for `outbox_put_many` (the same fields as `outbox_put`)."""

    type: str
    aggregate: str
    payload: dict
    dest: str
    schema: int = 1


def routing_key(*, dest: str, type: str, aggregate: str, origin: str | None = None) -> str:
    # "<dest>.<origin>.agg.<type>" for aggregate (case) messages: the county binds
    # "*.*.agg.#" and so receives every case message of every site; "<dest>.<origin>.ctl.<type>"
    # for the rest. The origin is in the key so that the broker can hold each hall's account
    # to its own (topic permissions, ADR 0012); the previous release's "<dest>.agg.<type>"
    # is still bound.
    origin = origin or settings.HALL_SITE
    return f"{dest}.{origin}.{'agg' if aggregate else 'ctl'}.{type}"


def _check(dest: str, type: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_put must be called inside the caller's transaction.atomic()")
    if dest not in site_codes():
        raise ValueError(f"unknown destination site {dest!r}")
    if not type or len(type) > 60:
        raise ValueError("type must be 1..60 characters")


def _not_owner(aggregate: str, owner: str) -> NotOwner:
    return NotOwner(
        f"{aggregate} is owned by {owner}, not {settings.HALL_SITE}; only the owner writes to "
        "its chain (use another aggregate key, e.g. '<case>/task/<id>', for side messages)"
    )


def _chain_next(aggregate: str) -> tuple[AggregateState, bool]:
    """The aggregate's state, locked; created (owned here) on first use."""
    here = settings.HALL_SITE
    state = state_get(aggregate, lock=True)
    if state is None:
        return AggregateState(key=aggregate, owner=here, seq=0, seen={}), True
    if state.owner != here:
        raise _not_owner(aggregate, state.owner)
    return state, False


def _row(env: Envelope) -> OutboxMessage:
    return OutboxMessage(
        msg_id=env.id,
        type=env.type,
        dest=env.dest,
        aggregate=env.aggregate,
        seq=env.seq,
        routing_key=routing_key(dest=env.dest, type=env.type, aggregate=env.aggregate),
        body=envelope_dumps(env),
    )


def _store(env: Envelope) -> Envelope:
    _row(env).save(force_insert=True)
    return env


def outbox_put(*, type: str, aggregate: str, payload: dict, dest: str, schema: int = 1) -> Envelope:
    if not aggregate and dest != settings.HALL_SITE:
        _check(dest, type)
        now = timezone.now()
        return _store(envelope_build(type=type, dest=dest, payload=payload, schema=schema, at=now))
    out = Outgoing(type=type, aggregate=aggregate, payload=payload, dest=dest, schema=schema)
    return outbox_put_many([out])[0]


def outbox_put_many(messages: list[Outgoing]) -> list[Envelope]:
    """File `messages` in order in the caller's transaction; one chain lock-read and one
    write for all of them. Same rules as `outbox_put` (NotOwner, unknown dest, ...).
    Those addressed to this hall are applied here first (sync.local) and lead the result."""
    for m in messages:
        _check(m.dest, m.type)
    here = settings.HALL_SITE
    now = timezone.now()
    if any(m.dest == here for m in messages):
        # Addressed to this hall: applied here and now by the registered appliers, as a
        # message from elsewhere would be, with no outbox row and no chain step.
        local = [m for m in messages if m.dest == here]
        messages = [m for m in messages if m.dest != here]
        applied = local_apply(
            [
                envelope_build(
                    type=m.type,
                    dest=here,
                    payload=m.payload,
                    aggregate=m.aggregate,
                    schema=m.schema,
                    at=now,
                )
                for m in local
            ]
        )
        return applied + (outbox_put_many(messages) if messages else [])
    keys = {m.aggregate for m in messages if m.aggregate}
    states = states_lock(keys)  # in an inbox batch: the batch's cached, locked states
    for key, state in states.items():  # refuse before changing any (cached) state
        if state.owner != here:
            raise _not_owner(key, state.owner)
    created: set[str] = set()
    touched: dict[str, AggregateState] = {}
    envs = []
    for m in messages:
        seq = prev = 0
        if m.aggregate:
            state = states.get(m.aggregate)
            if state is None:
                state = states[m.aggregate] = AggregateState(
                    key=m.aggregate, owner=here, seq=0, seen={}
                )
                created.add(m.aggregate)
            seq = state.seq + 1
            prev = state.seen.get(m.dest, 0)
            state.seq = seq
            state.seen = {**state.seen, m.dest: seq, here: seq}
            touched[m.aggregate] = state
        envs.append(
            envelope_build(
                type=m.type,
                dest=m.dest,
                payload=m.payload,
                aggregate=m.aggregate,
                seq=seq,
                prev=prev,
                schema=m.schema,
                at=now,
                signed=False,
            )
        )
    envs = envelopes_sign(envs)  # one signature for all of them
    _write(touched, created, envs)
    return envs


def _write(touched: dict[str, AggregateState], created: set[str], envs: list[Envelope]) -> None:
    if connection.vendor == "postgresql" and envs and not in_batch():
        _write_pg(touched, created, envs)
        return
    rows = [_row(env) for env in envs]
    if state_save_many(touched, created):
        OutboxMessage.objects.bulk_create(rows)  # states went to the inbox batch's cache
        return
    new = [s for k, s in touched.items() if k in created]
    old = [s for k, s in touched.items() if k not in created]
    if new:
        AggregateState.objects.bulk_create(new)  # a concurrent creator fails here, as it must
    if old:
        AggregateState.objects.bulk_update(old, ["seq", "seen"])
    OutboxMessage.objects.bulk_create(rows)


def state_save_many(touched: dict[str, AggregateState], created: set[str]) -> bool:
    """Inside an inbox batch (a handler sending messages) the chain cache takes the states."""
    if not in_batch():
        return False
    for key, state in touched.items():
        state_save(state, created=key in created)
    return True


STATE_NEW = {"key": "text", "owner": "text", "seq": "integer", "seen": "jsonb"}
STATE_SET = {"key": "text", "seq": "integer", "seen": "jsonb"}
OUTBOX = {
    "msg_id": "uuid",
    "type": "text",
    "dest": "text",
    "aggregate": "text",
    "seq": "integer",
    "routing_key": "text",
    "body": "text",
    "created_at": "timestamptz",
}


def _write_pg(touched: dict[str, AggregateState], created: set[str], envs: list[Envelope]) -> None:
    """Chains and outbox rows in one statement (one round trip). New chains are plain
    INSERTs, so a concurrent creator of the same aggregate fails as with the ORM."""
    st, ob = AggregateState._meta.db_table, OutboxMessage._meta.db_table
    new = [
        {"key": k, "owner": s.owner, "seq": s.seq, "seen": s.seen}
        for k, s in touched.items()
        if k in created
    ]
    old = [{"key": k, "seq": s.seq, "seen": s.seen} for k, s in touched.items() if k not in created]
    now = timezone.now().isoformat()
    rows = [
        {
            "msg_id": e.id,
            "type": e.type,
            "dest": e.dest,
            "aggregate": e.aggregate,
            "seq": e.seq,
            "routing_key": routing_key(dest=e.dest, type=e.type, aggregate=e.aggregate),
            "body": envelope_dumps(e),
            "created_at": now,
        }
        for e in envs  # no model instances: they cost more than the rest of the write
    ]
    sql = (
        f"WITH n AS ({bulk.insert_sql(st, STATE_NEW)}), "
        f"u AS (UPDATE {st} SET seq = r.seq, seen = r.seen FROM {bulk.recordset(STATE_SET)}"
        f" WHERE {st}.key = r.key) " + bulk.insert_sql(ob, OUTBOX)
    )
    with connection.cursor() as cur:
        cur.execute(sql, [bulk.rows_param(new), bulk.rows_param(old), bulk.rows_param(rows)])


def ownership_transfer(
    *, aggregate: str, to_site: str, payload: dict, type: str = "case.transfer", schema: int = 1
) -> Envelope:
    """Move ownership of `aggregate` to `to_site`; the chain's seq continues there."""
    _check(to_site, type)
    if not aggregate:
        raise ValueError("an ownership transfer needs an aggregate")
    state, created = _chain_next(aggregate)
    seq = state.seq + 1
    prev = state.seen.get(to_site, 0)
    seen = {**state.seen, to_site: seq, settings.HALL_SITE: seq}
    state.seq, state.seen, state.owner = seq, seen, to_site
    state_save(state, created=created)
    env = envelope_build(
        type=type,
        dest=to_site,
        payload=payload,
        aggregate=aggregate,
        seq=seq,
        prev=prev,
        schema=schema,
        meta={"transfer": {"owner": to_site, "seen": seen}},
        at=timezone.now(),
    )
    return _store(env)

"""Case-shaped test messages for the multi-node tests (loaded via HALL_SYNC_APPLIER_MODULES).

test.case.event    an event of a case (aggregate = case number), recorded in test_applied
test.case.transfer ownership moves; the receiving node records it in test_owned
"""

from __future__ import annotations

from django.db import connection

from sync.api import Reject, applier, applier_many
from sync.bulk import insert_sql, rows_param

EVENT = "test.case.event"
APPLIED = {"aggregate": "text", "seq": "integer", "origin": "text", "dest": "text", "n": "integer"}
TRANSFER = "test.case.transfer"
NOTE = "test.note"  # no payload schema: what the database itself refuses must be quarantined


def ensure_tables() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS test_applied (id INTEGER PRIMARY KEY "
            + ("AUTOINCREMENT" if connection.vendor == "sqlite" else "GENERATED ALWAYS AS IDENTITY")
            + ", aggregate VARCHAR(80), seq INTEGER, origin VARCHAR(40), dest VARCHAR(40),"
            " n INTEGER, at "
            + (
                "REAL DEFAULT ((julianday('now') - 2440587.5) * 86400.0)"
                if connection.vendor == "sqlite"
                else "DOUBLE PRECISION DEFAULT extract(epoch FROM clock_timestamp())"
            )
            + ")"
        )
        cur.execute(
            "CREATE TABLE IF NOT EXISTS test_owned (aggregate VARCHAR(80), seq INTEGER,"
            " origin VARCHAR(40))"
        )
        cur.execute("CREATE TABLE IF NOT EXISTS test_notes (text VARCHAR(8) NOT NULL)")


@applier(EVENT, owned=True, copies=True)
def event_applied(envelope) -> None:
    n = envelope.payload.get("n")
    if not isinstance(n, int):
        raise Reject("test event without n")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO test_applied (aggregate, seq, origin, dest, n) VALUES (%s,%s,%s,%s,%s)",
            [envelope.aggregate, envelope.seq, envelope.origin, envelope.dest, n],
        )


@applier_many(event_applied)
def events_applied(envelopes) -> None:
    """The batch form: validate all, then one INSERT for the run (same rows, same order)."""
    if any(not isinstance(e.payload.get("n"), int) for e in envelopes):
        raise Reject("test event without n")  # the inbox redoes the batch one by one
    rows = [
        {"aggregate": e.aggregate, "seq": e.seq, "origin": e.origin, "dest": e.dest}
        | {"n": e.payload["n"]}
        for e in envelopes
    ]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # one statement, one JSON parameter
            cur.execute(insert_sql("test_applied", APPLIED), [rows_param(rows)])
            return
        cur.executemany(
            "INSERT INTO test_applied (aggregate, seq, origin, dest, n) VALUES (%s,%s,%s,%s,%s)",
            [tuple(r.values()) for r in rows],
        )


@applier(NOTE)
def note_applied(envelope) -> None:
    """Writes payload["text"] as given: None, 9+ characters (PostgreSQL) or NUL fail there."""
    with connection.cursor() as cur:
        cur.execute("INSERT INTO test_notes (text) VALUES (%s)", [envelope.payload.get("text")])


@applier(TRANSFER, owned=True)
def transfer_received(envelope) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO test_owned (aggregate, seq, origin) VALUES (%s,%s,%s)",
            [envelope.aggregate, envelope.seq, envelope.origin],
        )


def write_events(
    *, aggregates: list[str], per_aggregate: int, dest: str = "county", per_transaction: int = 0
) -> int:
    """At a node: file `per_aggregate` events for each aggregate, round by round (event i of
    every aggregate, then i + 1); one transaction per round, or per `per_transaction` events."""
    from django.db import transaction

    from sync.api import Outgoing, outbox_put_many

    size = per_transaction or len(aggregates)
    events = [
        Outgoing(type=EVENT, aggregate=agg, payload={"n": i}, dest=dest)
        for i in range(per_aggregate)
        for agg in aggregates
    ]
    for start in range(0, len(events), size):
        with transaction.atomic():
            outbox_put_many(events[start : start + size])
    return len(events)


def write_events_timed(*, start_at: float = 0.0, **kwargs) -> list[float]:
    """write_events, returning [start, end] wall-clock times taken inside the node, so a
    benchmark does not count the node process starting up. With `start_at` (a wall-clock
    time) the writer connects, then waits until then: writers started together begin
    together, as a hall's already running workers would, none still starting up."""
    import time

    from django.db import connection

    connection.ensure_connection()
    time.sleep(max(0.0, start_at - time.time()))
    start = time.time()
    write_events(**kwargs)
    return [start, time.time()]


def put(aggregate: str, n: int, dest: str = "county") -> int:
    """At a node: one test event in its own transaction; returns its seq."""
    from django.db import transaction

    from sync.api import outbox_put

    with transaction.atomic():
        return outbox_put(type=EVENT, aggregate=aggregate, payload={"n": n}, dest=dest).seq


def transfer(aggregate: str, to_site: str) -> int:
    from django.db import transaction

    from sync.api import ownership_transfer

    with transaction.atomic():
        env = ownership_transfer(type=TRANSFER, aggregate=aggregate, to_site=to_site, payload={})
        return env.seq


def put_refused(aggregate: str) -> str:
    from sync.api import NotOwner

    try:
        put(aggregate, 0)
    except NotOwner:
        return "refused"
    return "sent"

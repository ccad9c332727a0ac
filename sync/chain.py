"""Per-aggregate chains: who owns an aggregate and which seq came last, as known here.

During an inbox batch the states are cached in memory (one read and one write per batch,
not per message); `owner_of` and `outbox_put` called by handlers see the cached values.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connection

from sync import bulk
from sync.config import site_codes
from sync.models import AggregateState

_batch = threading.local()


def batch_begin(keys: set[str]) -> None:
    qs = AggregateState.objects.filter(key__in=keys)
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        qs = qs.select_for_update()
    _batch.states = {s.key: s for s in qs}
    _batch.new = set()
    _batch.dirty = set()


def batch_end(*, commit: bool) -> None:
    states = getattr(_batch, "states", None)
    _batch.states = None
    if not commit or states is None:
        return
    new = [states[k] for k in _batch.new]
    dirty = [states[k] for k in _batch.dirty - _batch.new]
    if connection.vendor == "postgresql" and (new or dirty):
        _save_pg(new, dirty)
        return
    if new:
        AggregateState.objects.bulk_create(new)
    if dirty:
        # An upsert of rows that exist and are locked by this batch: one INSERT .. ON
        # CONFLICT DO UPDATE, far cheaper to build than bulk_update's CASE WHEN per field.
        AggregateState.objects.bulk_create(
            dirty,
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["owner", "seq", "seen"],
        )


STATE = {"key": "text", "owner": "text", "seq": "integer", "seen": "jsonb"}


def _save_pg(new: list[AggregateState], dirty: list[AggregateState]) -> None:
    """New chains inserted and changed ones updated in one short statement."""
    st = AggregateState._meta.db_table

    def rows(states):
        return bulk.rows_param(
            [{"key": s.key, "owner": s.owner, "seq": s.seq, "seen": s.seen} for s in states]
        )

    sql = (
        f"WITH n AS ({bulk.insert_sql(st, STATE)}) "
        f"UPDATE {st} SET owner = r.owner, seq = r.seq, seen = r.seen "
        f"FROM {bulk.recordset(STATE)} WHERE {st}.key = r.key"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [rows(new), rows(dirty)])


def state_get(key: str, *, lock: bool = False) -> AggregateState | None:
    states = getattr(_batch, "states", None)
    if states is not None:
        if key not in states:
            found = AggregateState.objects.filter(key=key).first()
            if found is None:
                return None
            states[key] = found
        return states[key]
    qs = AggregateState.objects.filter(key=key)
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def state_save(state: AggregateState, *, created: bool) -> None:
    states = getattr(_batch, "states", None)
    if states is not None:
        states[state.key] = state
        (_batch.new if created else _batch.dirty).add(state.key)
        return
    if created:
        state.save(force_insert=True)
    else:
        state.save(update_fields=["owner", "seq", "seen"])


def state_forget(key: str) -> None:
    """Undo the creation of `key`'s chain in this batch: a refused first message leaves no
    row behind (it would make its sender the owner of a number it never had)."""
    states = getattr(_batch, "states", None)
    if states is not None:
        states.pop(key, None)
        _batch.new.discard(key)
        _batch.dirty.discard(key)
        return
    AggregateState.objects.filter(key=key).delete()


def issuer_of(key: str) -> str | None:
    """The hall whose numbers `key` belongs to: the longest hall code that, with a hyphen,
    begins it (case numbers are "<hall>-<day>-<n>"); None when it names no hall."""
    found = None
    for code in site_codes():
        if key.startswith(f"{code}-") and (found is None or len(code) > len(found)):
            found = code
    return found


def in_batch() -> bool:
    return getattr(_batch, "states", None) is not None


def states_lock(keys: set[str]) -> dict[str, AggregateState]:
    """The existing states of `keys`, locked (one query; sorted, so writers never deadlock).
    In an inbox batch, the batch's cached states (already locked)."""
    if in_batch():
        return {k: s for k in keys if (s := state_get(k)) is not None}
    if not keys:
        return {}
    qs = AggregateState.objects.filter(key__in=keys).order_by("key")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        qs = qs.select_for_update()
    return {s.key: s for s in qs}


def owner_of(aggregate: str) -> str | None:
    state = state_get(aggregate)
    return state.owner if state else None

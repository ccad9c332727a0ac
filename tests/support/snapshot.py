"""Reference data built once, then re-inserted per test (ADR 0019).

A fixture like `halls` (the site tree, 23 calendar years, the sample catalogue with its
delegations and a signed release) costs about 0.4 s of Django code per test. `layer(name,
build)` runs `build()` the first time, reads which rows it added, changed or removed, and
for every later test that starts from the very same database state (each table's row count
and highest key, and the node identity) writes those rows back with a few bulk INSERTs.
Any other starting state (a flushed transactional test, another fixture first) builds
again and remembers that state too: the rows a test sees are always exactly those
`build()` makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction


@dataclass
class Delta:
    """What build() did to each table: rows added or changed (whole rows), keys removed."""

    columns: dict[str, list[str]] = field(default_factory=dict)
    upsert: dict[str, list[tuple]] = field(default_factory=dict)
    remove: dict[str, list] = field(default_factory=dict)


_DELTAS: dict[tuple, Delta] = {}


def _tables() -> dict[str, str]:
    """Every table of an installed model (many-to-many ones too): table -> key column."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.pk is not None:
            found.setdefault(meta.db_table, meta.pk.column)
    known = set(connection.introspection.table_names())
    return {t: pk for t, pk in sorted(found.items()) if t in known}


def _state() -> tuple:
    """Row count and highest key of every table, in one query."""
    qn = connection.ops.quote_name
    parts = [
        f"SELECT '{t}', COUNT(*), CAST(MAX({qn(pk)}) AS VARCHAR(64)) FROM {qn(t)}"
        for t, pk in _tables().items()
    ]
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(parts))
        return tuple(sorted(tuple(r) for r in cur.fetchall()))


def _dump() -> dict[str, tuple[list[str], dict]]:
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cur:
        for table, pk in _tables().items():
            cur.execute(f"SELECT * FROM {qn(table)}")
            columns = [c[0] for c in cur.description]
            key = columns.index(pk)
            out[table] = (columns, {row[key]: tuple(row) for row in cur.fetchall()})
    return out


def _diff(before: dict, after: dict) -> Delta:
    delta = Delta()
    for table, (columns, rows) in after.items():
        old = before[table][1]
        upsert = [row for key, row in rows.items() if old.get(key) != row]
        remove = [key for key in old if key not in rows]
        if upsert or remove:
            delta.columns[table] = columns
            delta.upsert[table] = upsert
            delta.remove[table] = remove
    return delta


def _adapt(value):
    """PostgreSQL hands back json columns as Python objects; they go back in as JSON."""
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


def _apply(delta: Delta) -> None:
    qn = connection.ops.quote_name
    pks = _tables()
    with transaction.atomic(), connection.cursor() as cur:
        for table, columns in delta.columns.items():
            pk = qn(pks[table])
            gone = delta.remove[table] + [
                row[columns.index(pks[table])] for row in delta.upsert[table]
            ]
            for start in range(0, len(gone), 500):
                chunk = gone[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(f"DELETE FROM {qn(table)} WHERE {pk} IN ({marks})", chunk)
            if delta.upsert[table]:
                names = ", ".join(qn(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(
                    f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})",
                    [tuple(_adapt(v) for v in row) for row in delta.upsert[table]],
                )
        if connection.vendor == "postgresql":
            # Rows came in with their keys: the tables' sequences go past them.
            by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
            models = [by_table[t] for t in delta.upsert if delta.upsert[t]]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cur.execute(sql)


def layer(name: str, build: Callable[[], object]) -> None:
    """Make the database look exactly as after `build()` from its current state."""
    key = (name, connection.vendor, connection.settings_dict["NAME"], settings.HALL_SITE, _state())
    delta = _DELTAS.get(key)
    if delta is not None:
        _apply(delta)
        return
    before = _dump()
    build()
    _DELTAS[key] = _diff(before, _dump())

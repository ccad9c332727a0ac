"""Many rows in one short statement on PostgreSQL.

A multi-row `VALUES (%s, ...), ...` with thousands of placeholders costs more client CPU
than the round trips it saves: psycopg re-parses every such query (too long for its cache)
and Django builds one expression per value. Here the rows travel as one JSON parameter
unpacked by `jsonb_to_recordset`, so the statement text is short, constant and cached.
Elsewhere (SQLite, in-process) callers keep the ORM.
"""

from __future__ import annotations

import json


def recordset(columns: dict[str, str]) -> str:
    """The rows of one JSON parameter as relation `r` with `columns` (name → SQL type) and
    `r.ord`, their position: `ORDER BY r.ord` keeps the caller's order (ids, seqs)."""
    typed = ", ".join(f"{name} {kind}" for name, kind in columns.items())
    names = ", ".join(columns)
    return (
        f"ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({typed})) WITH ORDINALITY AS r({names}, ord)"
    )


def rows_param(rows: list[dict]) -> str:
    return json.dumps(rows, default=str, ensure_ascii=False)


def insert_sql(table: str, columns: dict[str, str]) -> str:
    """INSERT the rows of one JSON parameter into `table`, in list order."""
    names = ", ".join(columns)
    cols = ", ".join(f"r.{c}" for c in columns)
    return f"INSERT INTO {table} ({names}) SELECT {cols} FROM {recordset(columns)} ORDER BY r.ord"

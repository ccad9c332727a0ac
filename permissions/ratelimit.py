"""A fixed-window rate limit kept in the database, so every worker of a node shares it
(the default cache is per process and would multiply the limit by the worker count)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


_UPSERT = (
    "INSERT INTO permissions_ratecounter (key, window_start, count) {rows} "
    "ON CONFLICT (key, window_start) DO UPDATE SET count = permissions_ratecounter.count + 1 "
    "RETURNING key, window_start, count"
)
# On PostgreSQL, outside a transaction, the same statement also turns off the wait for the
# WAL flush of its own commit: a rate counter is not business data, losing the last few hits
# in a crash is harmless (the citizen's query was paying an fsync per request for it). Inside
# a caller's transaction it would apply to the caller's data too, so there it is left alone.
_NO_FSYNC = "WITH _cfg AS (SELECT set_config('synchronous_commit', 'off', true) AS v) "
_PG_ROWS = "SELECT k, w::timestamptz, 1 FROM _cfg, (VALUES {rows}) AS hit(k, w)"
# Old windows go on one request in a hundred: on PostgreSQL in the same statement (a
# data-modifying WITH runs whether or not it is read; its rows and the upsert's are apart).
_OLD = ", _old AS (DELETE FROM permissions_ratecounter WHERE window_start < %s) "
_DELETE_OLD = "DELETE FROM permissions_ratecounter WHERE window_start < %s"


def rate_limit_hits(hits: list[tuple[str, int, int]], *, now=None) -> None:
    """Count one hit for each (key, limit, window seconds) in ONE statement (an upsert that
    returns the counts); raise RateLimited for the first whose window already held `limit`.
    Every window is counted, refused or not, as a refused request still asked."""
    now = now or timezone.now()
    starts = [_window_start(now, seconds) for _, _, seconds in hits]
    values = ", ".join(["(%s, %s)"] * len(hits))
    adapt = connection.ops.adapt_datetimefield_value
    params = [
        p for (key, _, _), start in zip(hits, starts, strict=True) for p in (key, adapt(start))
    ]
    cleanup = adapt(now - timedelta(days=1)) if random.random() < 0.01 else None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            head = _NO_FSYNC + (_OLD if cleanup else "")
            sql = head + _UPSERT.format(rows=_PG_ROWS.format(rows=values))
            cursor.execute(sql, [cleanup, *params] if cleanup else params)
        else:
            if cleanup:
                cursor.execute(_DELETE_OLD, [cleanup])
            rows = "VALUES " + ", ".join(["(%s, %s, 1)"] * len(hits))
            cursor.execute(_UPSERT.format(rows=rows), params)
        counts = {key: count for key, _, count in cursor.fetchall()}
    for (key, limit, seconds), start in zip(hits, starts, strict=True):
        if counts[key] > limit:
            retry = int((start + timedelta(seconds=seconds) - now).total_seconds()) + 1
            raise RateLimited(retry_after=max(retry, 1))


def rate_limit_hit(*, key: str, limit: int, window_seconds: int, now=None) -> None:
    """Count one hit for `key`; raise RateLimited when the window already holds `limit`."""
    rate_limit_hits([(key, limit, window_seconds)], now=now)

"""What the benchmarks share: their own PostgreSQL database, timing, and percentiles."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

SERVER = "postgres://postgres@127.0.0.1:5432"


def bench_options(argv: list[str], defaults: dict) -> dict:
    """`key=value` and bare `flag` arguments over `defaults` (a value takes its default's
    type: int, float or flag); an unknown key stops the run."""
    opts = dict(defaults)
    for arg in argv:
        key, _, value = arg.lstrip("-").partition("=")
        if key not in opts:
            raise SystemExit(f"unknown option {arg!r}; options: {', '.join(opts)}")
        default = opts[key]
        if isinstance(default, bool) or not value:  # a flag; `flag=0` turns it off
            opts[key] = value.lower() not in ("0", "false", "no")
        else:
            opts[key] = type(default)(value)  # int or float, as the default is
    return opts


def in_child() -> bool:
    return os.environ.get("HALL_BENCH_CHILD") == "1"


def rerun_on_own_database(*, bench: str, db_name: str, argv: list[str]) -> None:
    """Create `db_name` if needed, then run this benchmark again in a process bound to it
    as the county node (settings are fixed at start-up, so a new process is the clean way)."""
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{db_name}"')
    env = dict(
        os.environ,
        HALL_BENCH_CHILD="1",
        HALL_SITE="county",
        HALL_DEBUG="0",
        HALL_DATABASE_URL=f"{SERVER}/{db_name}",
        DJANGO_SETTINGS_MODULE="deploy.settings.node",
    )
    code = subprocess.call([sys.executable, "-m", "deploy.cli", "bench", bench, *argv], env=env)
    if code:
        raise SystemExit(code)


def timed(fn, n: int, warmup: int = 20) -> tuple[list[float], list[int]]:
    """Milliseconds and SQL queries of `n` calls of fn() after `warmup` untimed ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        fn()
    times, queries = [], []
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(ctx.captured_queries))
    return times, queries


def summary(name: str, times: list[float], queries: list[int]) -> dict:
    q = statistics.quantiles(times, n=100)
    row = {
        "p50_ms": round(q[49], 2),
        "p95_ms": round(q[94], 2),
        "queries": sorted(set(queries)),
    }
    print(
        f"{name:<28} p50 {row['p50_ms']:>8.2f} ms   p95 {row['p95_ms']:>8.2f} ms   "
        f"queries/request {row['queries']}",
        flush=True,
    )
    return row

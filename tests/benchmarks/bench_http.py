"""`hall bench http [cases=1000000] [halls=300] [clerks=32] [seconds=20] [think=2.0]
[think_seconds=90] [workers=2] [threads=4] [fresh]`

A real node under its real server (gunicorn gthread, `hall node`, DEBUG off) on PostgreSQL
with `cases` cases (loaded as bench_permissions loads them, into hall_bench_http: a year of
cases, about 9% of them open), driven by `clerks` concurrent clerks, each logged in through
the login page with its own session, each at its own hall (villages and townships in turn).
Every clerk goes round PAGES: the REST case list (page of 50) and the detail of one of its
own cases, and the workbench: the inbox (待办) unfiltered, filtered to overdue cases and
searched by a case number, and the case page.

Three runs, one after the other, on the same server and data:
- baseline: 1 clerk, closed loop (asks again as soon as answered), `seconds` / 2;
- saturation: `clerks` clerks, closed loop, `seconds`: what the two cores can serve at
  most; latency here is mostly queueing (clerks / throughput);
- clerk model: `clerks` clerks working like people, `think_seconds`: after each page the
  clerk reads for a random time, exponential with mean `think` seconds (a click every few
  seconds). **The target (case list p95 <= 50 ms at 32 clerks, 0 errors) is judged on this
  run**; the saturation figures are printed beside it. `think=0` skips it.

Load generator: one thread per clerk with a keep-alive http.client connection. It records
every request's latency and status itself (no sampling) and needs no extra package (wrk and
locust would need Lua or gevent for per-clerk sessions and own-case URLs). Its CPU share is
small beside Django's; it runs in this process while the server has its own.

Figures: p50 / p95 / max per page, requests/s, errors (any status but 200 or a broken
connection), and the ratio of each against the baseline. PostgreSQL connections: peak of
pg_stat_activity rows for the bench database, sampled every 20 ms (this process closes
its own first). CPU per request: the CPU time the server's processes and the database's
backends used in the run (/proc), divided by the requests answered: unlike latency, it
hardly moves when other work loads the machine, so it compares code across runs; two
cores serve at most 2000 / (server + PostgreSQL ms) requests/s.

Add a page: append (label, function(clerk) -> path) to PAGES.
The last line of output is one JSON object.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.benchmarks.support import SERVER, bench_options, in_child, rerun_on_own_database

DB_NAME = "hall_bench_http"
PASSWORD = "Bench-Clerk-2026"
PORT = 18790


@dataclass
class Clerk:
    username: str
    numbers: list[str]  # cases this clerk's hall owns
    cookie: str = ""
    times: dict = field(default_factory=dict)  # page label -> [ms]
    errors: dict = field(default_factory=dict)  # page label -> count
    statuses: dict = field(default_factory=dict)  # status of the errors -> count (0: none)


PAGES = [
    ("case list", lambda clerk: "/api/cases/?limit=50"),
    ("case detail", lambda clerk: f"/api/cases/{random.choice(clerk.numbers)}/"),
    ("inbox", lambda clerk: "/gongzuotai/"),
    ("inbox overdue", lambda clerk: "/gongzuotai/?state=overdue"),
    ("inbox search", lambda clerk: f"/gongzuotai/?q={random.choice(clerk.numbers)}"),
    ("case page", lambda clerk: f"/gongzuotai/banjian/{random.choice(clerk.numbers)}/"),
]
TARGET = ("case list", 50.0)  # page, p95 ms at `clerks` clerks in the clerk model
ENOUGH = 100  # answers of the target page below which its p95 says too little to judge


def _options(argv: list[str]) -> dict:
    return bench_options(
        argv,
        {
            "cases": 1_000_000,
            "halls": 300,
            "clerks": 32,
            "seconds": 20,
            "think": 2.0,
            "think_seconds": 90,
            "workers": 2,
            "threads": 4,
            "fresh": False,
        },
    )


def run(argv: list[str]) -> None:
    opts = _options(argv)
    if not in_child():
        rerun_on_own_database(bench="http", db_name=DB_NAME, argv=argv)
    else:
        _child(opts)


def _child(opts: dict) -> None:
    from django.core.management import call_command
    from django.db import connection

    from tests.benchmarks.bench_permissions import load_cases, load_sites

    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    sites = load_sites(opts["halls"])
    load_cases(opts, sites)
    clerks = _clerks(opts, sites)
    connection.close()  # only the server's connections count from here
    server = _start_server(opts)
    try:
        for clerk in clerks:
            _login(clerk)
        _drive(clerks, seconds=0)  # one round each: warm the workers and their connections
        pid = server.pid
        runs = {"baseline": _drive(clerks[:1], seconds=max(5, opts["seconds"] // 2), server=pid)}
        runs["saturation"] = _drive(clerks, seconds=opts["seconds"], server=pid)
        if opts["think"] > 0:
            runs["clerk model"] = _drive(
                clerks, seconds=opts["think_seconds"], think=opts["think"], server=pid
            )
    finally:
        server.terminate()
        server.wait(30)
    _report(opts, runs)


def _clerks(opts: dict, sites) -> list[Clerk]:
    """One clerk per hall, villages and townships alternating; numbers follow the loading
    rule of bench_permissions (case g belongs to sites[g % halls])."""
    from permissions.roles import Role
    from sites.registry.models import Tier
    from tests.benchmarks.bench_permissions import bench_user

    halls = len(sites)
    villages = [i for i, s in enumerate(sites) if s.tier == Tier.VILLAGE]
    townships = [i for i, s in enumerate(sites) if s.tier == Tier.TOWNSHIP]
    chosen = [(townships if k % 2 else villages)[k // 2] for k in range(opts["clerks"])]
    clerks = []
    for i in chosen:
        site = sites[i]
        user = bench_user(f"bench-http-{site.code}", site, Role.CLERK)
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        numbers = [f"B{g:08d}" for g in range(i or halls, opts["cases"] + 1, halls)[:200]]
        clerks.append(Clerk(user.username, numbers))
    print(f"== {len(clerks)} clerks at {len(set(chosen))} halls", flush=True)
    return clerks


def _start_server(opts: dict) -> subprocess.Popen:
    env = dict(
        os.environ,
        HALL_WEB_WORKERS=str(opts["workers"]),
        HALL_WEB_THREADS=str(opts["threads"]),
    )
    env.pop("HALL_BENCH_CHILD", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", "node", "--port", str(PORT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            status, _, _ = _request(None, "GET", "/healthz/")
            if status == 200:
                print(f"== server up: {opts['workers']} x {opts['threads']}", flush=True)
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the node did not start")


def _request(conn, method: str, path: str, body: str = "", headers: dict | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data
    finally:
        if own:
            conn.close()


def _login(clerk: Clerk) -> None:
    """Through the login page, as a browser does: CSRF cookie, then the form."""
    status, headers, _ = _request(None, "GET", "/accounts/login/")
    jar = SimpleCookie()
    jar.load(headers.get("Set-Cookie", ""))
    csrf = jar["csrftoken"].value
    form = urlencode(
        {"username": clerk.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    status, headers, _ = _request(
        None,
        "POST",
        "/accounts/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{PORT}/accounts/login/",
        },
    )
    cookies = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login of {clerk.username} failed: {status}")
    clerk.cookie = f"sessionid={cookies['sessionid'].value}"


def _get(conn, path: str, cookie: str) -> tuple[int, http.client.HTTPConnection]:
    return send(conn, "GET", path, headers={"Cookie": cookie})


def send(
    conn, method: str, path: str, body: str = "", headers: dict | None = None
) -> tuple[int, http.client.HTTPConnection]:
    """A request on a client's keep-alive connection: (status, connection), status 0 when
    none came. gunicorn closes a connection idle for --keep-alive (5 s) seconds, so after a
    long pause the next request may meet a closed socket before any answer; a browser then
    sends it again on a new connection (the server never saw it), and so does this (once;
    the time counts both)."""
    for attempt in (1, 2):
        reused = conn.sock is not None
        try:
            status, _, _ = _request(conn, method, path, body, headers)
            return status, conn
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            stale = isinstance(
                exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
            )
            if attempt == 2 or not (reused and stale):
                return 0, conn
    raise AssertionError("unreachable")


def _clerk_loop(clerk: Clerk, stop: threading.Event, think: float) -> None:
    """Round the pages until stopped; with `think`, a reading pause (exponential, that
    mean) after each answer. seconds=0 in _drive: one round, to warm up."""
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    clerk.times = {label: [] for label, _ in PAGES}
    clerk.errors = {label: 0 for label, _ in PAGES}
    clerk.statuses = {}
    rng = random.Random()
    if think:
        stop.wait(rng.uniform(0, think))  # clerks do not all start on the same second
    first = True
    while first or not stop.is_set():
        first = False
        for label, path_of in PAGES:
            if think and stop.wait(rng.expovariate(1 / think)):
                break
            start = time.perf_counter()
            status, conn = _get(conn, path_of(clerk), clerk.cookie)
            elapsed = (time.perf_counter() - start) * 1000
            if status == 200:
                clerk.times[label].append(elapsed)
            else:
                clerk.errors[label] += 1
                clerk.statuses[status] = clerk.statuses.get(status, 0) + 1
    conn.close()


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (Linux /proc), None if gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except OSError:
                continue
    return out


class _Sampler(threading.Thread):
    """Every 20 ms: PostgreSQL connections to the bench database (peak); every 100 ms: the
    CPU time of the server's processes and of those connections' backends, first and last
    reading per process, so the run's CPU per request is known whatever else loads the
    machine (latency on a shared machine is not)."""

    def __init__(self, server_pid: int | None):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak = 0
        self.server = [server_pid, *_children(server_pid)] if server_pid else []
        self.cpu: dict[tuple[str, int], list[float]] = {}  # (kind, pid) -> [first, last]

    def _read(self, kind: str, pids) -> None:
        for pid in pids:
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                self.cpu.setdefault((kind, pid), [seconds, seconds])[1] = seconds

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            tick = 0
            while True:
                stopping = self.stop.is_set()
                pids = [
                    row[0]
                    for row in conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME]
                    )
                ]
                self.peak = max(self.peak, len(pids))
                if tick % 5 == 0 or stopping:
                    self._read("server", self.server)
                    self._read("postgres", pids)
                if stopping:
                    return
                tick += 1
                time.sleep(0.02)

    def cpu_seconds(self, kind: str) -> float:
        return sum(last - first for (k, _), (first, last) in self.cpu.items() if k == kind)


def _drive(
    clerks: list[Clerk], *, seconds: float, think: float = 0.0, server: int | None = None
) -> dict:
    stop = threading.Event()
    sampler = _Sampler(server)
    threads = [threading.Thread(target=_clerk_loop, args=(c, stop, think)) for c in clerks]
    sampler.start()
    time.sleep(0.1)  # its first CPU reading
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    peak = [sampler.peak]
    out = {
        "clerks": len(clerks),
        "think_s": think,
        "seconds": round(wall, 1),
        "pg_connections_peak": peak[0],
    }
    for label, _ in PAGES:
        times = sorted(t for c in clerks for t in c.times[label])
        errors = sum(c.errors[label] for c in clerks)
        # inclusive: a percentile never beyond the slowest request seen
        q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times
        out[label] = {
            "requests": len(times),
            "errors": errors,
            "rps": round(len(times) / wall, 1),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(q[94 if len(times) > 1 else 0], 1) if times else None,
            "max_ms": round(times[-1], 1) if times else None,
        }
    out["rps"] = round(sum(out[label]["requests"] for label, _ in PAGES) / wall, 1)
    out["errors"] = sum(out[label]["errors"] for label, _ in PAGES)
    answered = sum(out[label]["requests"] + out[label]["errors"] for label, _ in PAGES)
    for kind in ("server", "postgres"):
        out[f"{kind}_cpu_ms_per_request"] = (
            round(sampler.cpu_seconds(kind) * 1000 / answered, 1) if answered else None
        )
    out["error_statuses"] = {}
    for c in clerks:
        for status, n in c.statuses.items():
            out["error_statuses"][status] = out["error_statuses"].get(status, 0) + n
    return out


def _ratio(row: dict, base: dict, key: str) -> str:
    return f"{row[key] / base[key]:4.1f}x" if base["requests"] and base[key] else "  - x"


def _report(opts: dict, runs: dict) -> None:
    print(
        f"\n{opts['cases']} cases, {opts['halls']} halls; server {opts['workers']} worker(s) x "
        f"{opts['threads']} thread(s); load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs; ratios against the baseline",
        flush=True,
    )
    baseline = runs["baseline"]
    how = {
        "baseline": "closed loop",
        "saturation": "closed loop, no think time",
        "clerk model": f"think time exponential, mean {opts['think']:g} s",
    }
    for name, run_ in runs.items():
        print(
            f"-- {name}: {run_['clerks']} clerk(s), {how[name]}, {run_['seconds']} s: "
            f"{run_['rps']} requests/s ({run_['rps'] / baseline['rps']:.1f}x), errors "
            f"{run_['errors']} {run_['error_statuses'] or ''}, PostgreSQL connections peak "
            f"{run_['pg_connections_peak']}; CPU per request: server "
            f"{run_['server_cpu_ms_per_request']} ms, PostgreSQL "
            f"{run_['postgres_cpu_ms_per_request']} ms"
        )
        for label, _ in PAGES:
            row, base = run_[label], baseline[label]
            if not row["requests"]:
                print(f"   {label:<14} no answer  errors {row['errors']}")
                continue
            print(
                f"   {label:<14} n={row['requests']:<6} p50 {row['p50_ms']:7.1f} ms "
                f"({_ratio(row, base, 'p50_ms')})  p95 {row['p95_ms']:7.1f} ms "
                f"({_ratio(row, base, 'p95_ms')})  max {row['max_ms']:7.1f} ms  "
                f"{row['rps']:7.1f}/s ({_ratio(row, base, 'rps')})  errors {row['errors']}"
            )
    page, limit = TARGET
    judged = runs.get("clerk model")
    if judged is None:
        verdict = "not judged (think=0: no clerk model run)"
    else:
        row = judged[page]
        met = row["p95_ms"] is not None and row["p95_ms"] <= limit and judged["errors"] == 0
        verdict = (
            f"{'MET' if met else 'NOT MET'}: {page} p95 {row['p95_ms']} ms of "
            f"{row['requests']} requests, errors {judged['errors']}"
        )
        if row["requests"] < ENOUGH:
            verdict = f"not judged (fewer than {ENOUGH} answers; raise think_seconds): {verdict}"
    print(
        f"target ({page} p95 <= {limit:g} ms, 0 errors, {opts['clerks']} clerks; judged on the "
        f"clerk model, saturation shown beside it): {verdict}"
    )
    summary = {
        "cases": opts["cases"],
        "workers": opts["workers"],
        "threads": opts["threads"],
        "think_s": opts["think"],
        **runs,
        "target": verdict,
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(summary, ensure_ascii=False))

"""`hall bench county-day [small|tiny] [cases=1000000] [rate=20] [clerks=32] [citizens=8]
[kiosks=10] [screens=20] [supervisors=2] [think=2.0] [seconds=180] [alone=10] [workers=2]
[threads=4] [db=hall_bench_county_day] [fresh]`

A county's busy day on one small server: the county node (gunicorn, `hall node`, DEBUG off)
and its consumer (`hall consume`) on PostgreSQL and RabbitMQ, for a county of 20 townships
and 300 villages (tests/benchmarks/county_day_data.py: the tree, keys and data; the halls'
cases as `hall bench http` loads them, the county's read model over 24 months, the
supervision rollup; all reused between runs unless `fresh`), under everything at once:

  events       case events from the villages at `rate` per second, signed by each village,
               published into the county's queue as the villages' relays do
  clerks       `clerks` county-side clerks (villages and townships in turn) going round the
               pages of `hall bench http`, a reading pause after each (exponential, mean
               `think` s)
  citizens     `citizens` hall terminals asking caseStatus on their citizens' behalf (signed
               by the hall, each query a different citizen), mean 3 s apart
  kiosks       `kiosks` 取号机 showing the queue board (/quhao/), mean 5 s apart
  screens      `screens` 叫号屏 polling /xianshi/shuju/ every 3 s
  supervisor   `supervisors` supervisors opening the dashboard and its export, mean 10 s apart

Before the mixed run, in the same run on the same server: each kind of request alone (one
client, closed loop, `alone` s) and the events alone (same rate, no requests): every figure
of the mixed run is printed with its ratio to that. Figures: p50/p95 per kind of request,
events' delay from publication (a village's relay sends right after the commit) to the
county's apply (the inbox row's stamp in the consumer's batch transaction) p50/p95, CPU per
request (server processes and their PostgreSQL backends) and per event (consumer, its
backend, the broker; the broker is shared with whatever else runs on the machine) from /proc,
errors (any status but 200, a GraphQL error, an event not applied). The load model and its
reasons: docs/decisions/0029-county-day-benchmark.md.

Sizes: the default (1M cases, 180 s mixed) runs in under 10 minutes once the data is loaded;
`small` (20,000 cases, 20 s) in about a minute; `tiny` (the test's) in less. Options given
after the size override it. The last line of output is one JSON object.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks import bench_http
from tests.benchmarks.support import SERVER, bench_options, in_child, rerun_on_own_database

DB_NAME = "hall_bench_county_day"
PORT = 18796
BROKER = os.environ.get("HALL_TEST_BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672//"
SIZES = {
    "default": {
        "cases": 1_000_000,
        "rate": 20.0,
        "clerks": 32,
        "citizens": 8,
        "kiosks": 10,
        "screens": 20,
        "supervisors": 2,
        "seconds": 180,
        "alone": 10,
    },
    "small": {
        "cases": 20_000,
        "rate": 10.0,
        "clerks": 8,
        "citizens": 2,
        "kiosks": 2,
        "screens": 4,
        "supervisors": 1,
        "seconds": 20,
        "alone": 3,
    },
    "tiny": {
        "cases": 3_000,
        "rate": 5.0,
        "clerks": 2,
        "citizens": 1,
        "kiosks": 1,
        "screens": 1,
        "supervisors": 1,
        "seconds": 5,
        "alone": 1,
    },
}
THINK = {"citizen": 3.0, "kiosk": 5.0, "supervisor": 10.0}  # mean seconds between requests
SCREEN_PERIOD = 3.0
KINDS = ("clerk", "citizen", "kiosk", "screen", "supervisor")


def _options(argv: list[str]) -> dict:
    flags = {"small": False, "tiny": False}
    size = "tiny" if "tiny" in argv else "small" if "small" in argv else "default"
    defaults = {
        **SIZES[size],
        **flags,
        "think": 2.0,
        "workers": 2,
        "threads": 4,
        "db": DB_NAME,
        "fresh": False,
    }
    opts = bench_options(argv, defaults)
    opts["size"] = size
    return opts


def run(argv: list[str]) -> None:
    opts = _options(argv)
    folder = Path(tempfile.gettempdir()) / opts["db"]
    if not in_child():
        from tests.benchmarks.county_day_data import tree_write

        folder.mkdir(parents=True, exist_ok=True)
        os.environ.update(
            HALL_SITES_FILE=str(tree_write(folder)),
            HALL_VAR_DIR=str(folder / "var"),
            HALL_SYNC_KEY_FILE=str(folder / "keys" / "county" / "sync.key"),
            HALL_SYNC_TRUST_DIR=str(folder / "keys" / "trust"),
            HALL_BROKER_URL=BROKER,
            HALL_SYNC_NAMESPACE=f"benchday{os.getpid()}",
            PGAPPNAME="hall-bench",
            HALL_SYNC_DECLARE="false",  # see county_day_data.topology_county
        )
        rerun_on_own_database(bench="county_day", db_name=opts["db"], argv=argv)
        return
    _child(opts, folder)


# -- clients ------------------------------------------------------------------------------
@dataclass
class Actor:
    kind: str
    requests: list  # [(label, () -> (method, path, body, headers))]
    think: float = 0.0  # mean pause (exponential); a screen's is its fixed period
    times: dict = field(default_factory=dict)  # label -> [ms]
    errors: dict = field(default_factory=dict)  # label -> count
    statuses: dict = field(default_factory=dict)


def _call(conn, method, path, body, headers):
    """bench_http.send, with the answer's body (a GraphQL error answers 200)."""
    for attempt in (1, 2):
        reused = conn.sock is not None
        try:
            status, _, data = bench_http._request(conn, method, path, body, headers)
            return status, data, conn
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            stale = isinstance(
                exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
            )
            if attempt == 2 or not (reused and stale):
                return 0, b"", conn
    raise AssertionError("unreachable")


def _loop(actor: Actor, stop: threading.Event, think: bool) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    actor.times = {label: [] for label, _ in actor.requests}
    actor.errors = {label: 0 for label, _ in actor.requests}
    actor.statuses = {}
    rng = random.Random()
    if think:
        stop.wait(rng.uniform(0, actor.think))  # not all at the same second
    first = True
    while first or not stop.is_set():
        first = False
        for label, make in actor.requests:
            if think:
                pause = actor.think if actor.kind == "screen" else rng.expovariate(1 / actor.think)
                if stop.wait(pause):
                    break
            method, path, body, headers = make()
            start = time.perf_counter()
            status, data, conn = _call(conn, method, path, body, headers)
            elapsed = (time.perf_counter() - start) * 1000
            if status == 200 and not (label == "citizen query" and b'"errors"' in data):
                actor.times[label].append(elapsed)
            else:
                actor.errors[label] += 1
                actor.statuses[status] = actor.statuses.get(status, 0) + 1
    conn.close()


def _citizen(village: str, numbers: list[str], root: str):
    from sync.keys import REQUEST_CONTEXT, REQUEST_SIGNATURE_HEADER
    from tests.benchmarks.county_day_data import CODE
    from tests.support.keys import signer

    own = signer(village, root)
    query = (
        "query($n: String!, $c: String!) { caseStatus(number: $n, queryCode: $c) { number "
        "itemName statusLabel outcomeLabel hall hallTier acceptedOn promisedOn "
        "promisedProvisional lastHeardAt steps { label at hall } } }"
    )

    def make():
        citizen = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
        hall = {"site": village, "at": datetime.now(UTC).isoformat(), "citizen": citizen}
        body = json.dumps(
            {
                "query": query,
                "variables": {"n": random.choice(numbers), "c": CODE},
                "extensions": {"hall": hall},
            }
        ).encode()
        sig = f"ed25519:{own.kid}:{own.private.sign(REQUEST_CONTEXT + body).hex()}"
        headers = {"Content-Type": "application/json", REQUEST_SIGNATURE_HEADER: sig}
        return "POST", "/graphql/", body, headers

    return make


def _get(path: str, cookie: str = ""):
    headers = {"Cookie": cookie} if cookie else {}
    return lambda: ("GET", path, "", headers)


def _actors(opts: dict, sites, numbers: list[str], root: Path) -> dict[str, list[Actor]]:
    from permissions.roles import Role
    from sites.registry.models import Site
    from tests.benchmarks.bench_permissions import bench_user
    from tests.benchmarks.county_day_data import bench_halls

    clerks = bench_http._clerks({"clerks": max(opts["clerks"], 1), "cases": opts["cases"]}, sites)
    for clerk in clerks:
        bench_http._login(clerk)
    boss = bench_user(
        "bench-day-supervisor", Site.objects.get(code="county"), Role.COUNTY_SUPERVISOR
    )
    boss.set_password(bench_http.PASSWORD)
    boss.save(update_fields=["password"])
    supervisor = bench_http.Clerk(boss.username, [])
    bench_http._login(supervisor)
    villages = [c for c in bench_halls() if c.startswith("v-")]
    actors = {
        "clerk": [
            Actor(
                "clerk",
                [
                    (label, (lambda c=c, p=path_of: ("GET", p(c), "", {"Cookie": c.cookie})))
                    for label, path_of in bench_http.PAGES
                ],
                think=opts["think"],
            )
            for c in clerks
        ],
        "citizen": [
            Actor(
                "citizen",
                [("citizen query", _citizen(villages[i % len(villages)], numbers, str(root)))],
                THINK["citizen"],
            )
            for i in range(max(opts["citizens"], 1))
        ],
        "kiosk": [
            Actor("kiosk", [("kiosk board", _get("/quhao/"))], THINK["kiosk"])
            for _ in range(max(opts["kiosks"], 1))
        ],
        "screen": [
            Actor("screen", [("screen poll", _get("/xianshi/shuju/"))], SCREEN_PERIOD)
            for _ in range(max(opts["screens"], 1))
        ],
        "supervisor": [
            Actor(
                "supervisor",
                [
                    ("dashboard", _get("/jiancha/", supervisor.cookie)),
                    ("export", _get("/jiancha/daochu.xlsx", supervisor.cookie)),
                ],
                THINK["supervisor"],
            )
            for _ in range(max(opts["supervisors"], 1))
        ],
    }
    return actors


# -- processes and their CPU ------------------------------------------------------------------
def _spawn(args: list[str], appname: str, extra: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "PGAPPNAME": appname, **(extra or {})}
    env.pop("HALL_BENCH_CHILD", None)
    return subprocess.Popen(
        [sys.executable, "-m", "deploy.cli", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _beam_pids() -> list[int]:
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"beam.smp" in f.read():
                    out.append(int(pid))
        except OSError:
            continue
    return out


class Sampler(threading.Thread):
    """Every 100 ms: the CPU seconds of the server's processes, the consumer, the
    PostgreSQL backends of each (by application_name) and the broker; first and last
    reading per process."""

    def __init__(self, db: str, server: int, consumer: int):
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.fixed = {
            "server": [server, *bench_http._children(server)],
            "consumer": [consumer, *bench_http._children(consumer)],
            "rabbitmq": _beam_pids(),
        }
        self.cpu: dict[tuple[str, int], list[float]] = {}

    def _read(self, kind, pids) -> None:
        for pid in pids:
            seconds = bench_http._cpu_seconds(pid)
            if seconds is not None:
                self.cpu.setdefault((kind, pid), [seconds, seconds])[1] = seconds

    def run(self) -> None:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
            while True:
                stopping = self.stop.is_set()
                for kind, pids in self.fixed.items():
                    self._read(kind, pids)
                rows = conn.execute(
                    "SELECT pid, application_name FROM pg_stat_activity WHERE datname = %s",
                    [self.db],
                ).fetchall()
                self._read("postgres (web)", [p for p, a in rows if a == "hall-web"])
                self._read("postgres (consumer)", [p for p, a in rows if a == "hall-consume"])
                if stopping:
                    return
                time.sleep(0.1)

    def seconds(self, kind: str) -> float:
        return sum(last - first for (k, _), (first, last) in self.cpu.items() if k == kind)


# -- phases -----------------------------------------------------------------------------------
def _publisher(events, rate: float, stop: threading.Event) -> threading.Thread:
    def loop():
        step, next_at = 1 / rate, time.monotonic()
        while not stop.is_set():
            events.publish_one()
            next_at += step
            stop.wait(max(0.0, next_at - time.monotonic()))

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def _drain(events, timeout: float = 120) -> None:
    from sync.models import InboxMessage

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if InboxMessage.objects.count() >= len(events.sent):
            return
        time.sleep(0.2)


def _phase(opts, procs, actors: list[Actor], *, seconds: float, think: bool, events=None) -> dict:
    """Run `actors` (and the events, when given) for `seconds`; figures per label."""
    from django.db import connection

    stop = threading.Event()
    sampler = Sampler(opts["db"], *procs)
    sampler.start()
    time.sleep(0.15)
    sent0 = len(events.sent) if events else 0
    threads = [threading.Thread(target=_loop, args=(a, stop, think)) for a in actors]
    start = time.perf_counter()
    publisher = _publisher(events, opts["rate"], stop) if events else None
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    if publisher:
        publisher.join()
        _drain(events)
    wall = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    out: dict = {"seconds": round(wall, 1), "requests": {}}
    answered = 0
    for label in dict.fromkeys(label for a in actors for label, _ in a.requests):
        times = sorted(t for a in actors for t in a.times.get(label, []))
        errors = sum(a.errors.get(label, 0) for a in actors)
        answered += len(times) + errors
        out["requests"][label] = _stats(times) | {"errors": errors}
    statuses: dict = {}
    for a in actors:
        for status, n in a.statuses.items():
            statuses[str(status)] = statuses.get(str(status), 0) + n
    out["error_statuses"] = statuses
    cpu = {k: sampler.seconds(k) for k in (*sampler.fixed, "postgres (web)", "postgres (consumer)")}
    out["cpu_s"] = {k: round(v, 2) for k, v in cpu.items()}
    if answered:
        out["cpu_ms_per_request"] = {
            "server": round(cpu["server"] * 1000 / answered, 2),
            "postgres": round(cpu["postgres (web)"] * 1000 / answered, 2),
        }
    if events:
        connection.close()  # a fresh connection sees the consumer's last commits
        sent = dict(list(events.sent.items())[sent0:])
        from tests.benchmarks.county_day_data import delays_ms

        delays, missing = delays_ms(sent)
        out["events"] = _stats(sorted(delays)) | {"sent": len(sent), "not_applied": missing}
        out["cpu_us_per_event"] = {
            k: round(cpu[k] * 1e6 / max(len(sent), 1))
            for k in ("consumer", "postgres (consumer)", "rabbitmq")
        }
    return out


def _stats(times: list[float]) -> dict:
    if not times:
        return {"n": 0, "p50_ms": None, "p95_ms": None}
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 95
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(q[94], 1),
    }


def _child(opts: dict, folder: Path) -> None:
    from django.db import connection

    from tests.benchmarks.county_day_data import Events, citizen_numbers, keys_write, load

    bench_http.PORT = PORT
    started = time.perf_counter()
    print(f"== {opts['db']}: size {opts['size']}, {opts['cases']:,} cases", flush=True)
    keys_write(folder / "keys")
    sites = load(opts)
    numbers = citizen_numbers(opts["cases"])
    connection.close()
    web_env = {"HALL_WEB_WORKERS": str(opts["workers"]), "HALL_WEB_THREADS": str(opts["threads"])}
    server = _spawn(["node", "--port", str(PORT)], "hall-web", web_env)
    consumer = _spawn(["consume"], "hall-consume")
    events = None
    try:
        _wait_up(server)
        actors = _actors(opts, sites, numbers, folder / "keys")
        connection.close()
        events = Events(folder / "keys")
        procs = (server.pid, consumer.pid)
        events.publish_one()  # the consumer up and its connection open before the clock
        _drain(events, timeout=180)
        for group in actors.values():  # one round each: warm the workers
            _phase(opts, procs, group[:1], seconds=0, think=False)
        print(f"== ready after {time.perf_counter() - started:.0f} s; alone ...", flush=True)
        alone = {
            kind: _phase(opts, procs, actors[kind][:1], seconds=opts["alone"], think=False)
            for kind in KINDS
        }
        alone["events"] = _phase(
            opts, procs, [], seconds=max(opts["alone"], 3), think=False, events=events
        )
        print(f"== mixed load for {opts['seconds']} s ...", flush=True)
        everyone = [a for kind in KINDS for a in actors[kind]]
        mixed = _phase(opts, procs, everyone, seconds=opts["seconds"], think=True, events=events)
    finally:
        for proc in (server, consumer):
            proc.terminate()
        for proc in (server, consumer):
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if events:
            events.close()
        _broker_cleanup()
    _report(opts, alone, mixed, time.perf_counter() - started)


def _wait_up(server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the node stopped")
        try:
            if bench_http._request(None, "GET", "/healthz/")[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the node did not start")


def _broker_cleanup() -> None:
    from django.conf import settings
    from kombu import Connection

    ns = settings.HALL_SYNC_NAMESPACE
    with Connection(BROKER, connect_timeout=10) as conn:
        ch = conn.default_channel
        ch.queue_delete(f"{ns}.county")
        ch.queue_delete(f"{ns}.dead")
        ch.exchange_delete(ns)
        ch.exchange_delete(f"{ns}.dlx")


def _ratio(value, base) -> str:
    return f"{value / base:4.1f}x" if value is not None and base else "  - x"


def _report(opts: dict, alone: dict, mixed: dict, total_s: float) -> None:
    load = os.getloadavg()
    print(
        f"\n{opts['cases']:,} cases; {opts['clerks']} clerks (think {opts['think']:g} s), "
        f"{opts['citizens']} citizen terminals, {opts['kiosks']} kiosks, {opts['screens']} "
        f"screens, {opts['supervisors']} supervisor(s), events {opts['rate']:g}/s; server "
        f"{opts['workers']} x {opts['threads']}; load average {load[0]:.1f} on "
        f"{os.cpu_count()} CPUs; ratios: mixed / alone"
    )
    errors = 0
    for label, row in mixed["requests"].items():
        kind = next(k for k in KINDS if label in alone[k]["requests"])
        base = alone[kind]["requests"][label]
        row["vs_alone_p50"] = (
            round(row["p50_ms"] / base["p50_ms"], 2) if row["n"] and base["n"] else None
        )
        row["vs_alone_p95"] = (
            round(row["p95_ms"] / base["p95_ms"], 2) if row["n"] and base["n"] else None
        )
        row["alone"] = {"p50_ms": base["p50_ms"], "p95_ms": base["p95_ms"], "n": base["n"]}
        errors += row["errors"] + base["errors"]
        print(
            f"   {label:<14} n={row['n']:<6} p50 {row['p50_ms'] or 0:7.1f} ms "
            f"({_ratio(row['p50_ms'], base['p50_ms'])})  p95 {row['p95_ms'] or 0:7.1f} ms "
            f"({_ratio(row['p95_ms'], base['p95_ms'])})  alone p50/p95 {base['p50_ms']}/"
            f"{base['p95_ms']} ms  errors {row['errors']}"
        )
    ev, ev0 = mixed["events"], alone["events"]["events"]
    errors += ev["not_applied"] + ev0["not_applied"]
    print(
        f"   {'events':<14} n={ev['sent']:<6} delay p50 {ev['p50_ms'] or 0:7.1f} ms "
        f"({_ratio(ev['p50_ms'], ev0['p50_ms'])})  p95 {ev['p95_ms'] or 0:7.1f} ms "
        f"({_ratio(ev['p95_ms'], ev0['p95_ms'])})  alone p50/p95 {ev0['p50_ms']}/"
        f"{ev0['p95_ms']} ms  not applied {ev['not_applied']}"
    )
    per_req = mixed.get("cpu_ms_per_request", {})
    per_req_alone = {k: alone[k].get("cpu_ms_per_request", {}) for k in KINDS}
    print(
        f"CPU per request (mixed): server {per_req.get('server')} ms, PostgreSQL "
        f"{per_req.get('postgres')} ms; alone, by kind: "
        + ", ".join(
            f"{k} {v.get('server')} + {v.get('postgres')} ms" for k, v in per_req_alone.items()
        )
    )
    print(
        f"CPU per event (mixed): {mixed['cpu_us_per_event']} µs; alone: "
        f"{alone['events']['cpu_us_per_event']} µs (rabbitmq: the shared broker, all its users)"
    )
    print(f"errors {errors} {mixed['error_statuses'] or ''}; run {total_s:.0f} s")
    result = {
        "size": opts["size"],
        "cases": opts["cases"],
        "event_rate": opts["rate"],
        "clients": {k: opts[k + "s"] for k in KINDS},
        "mixed": mixed,
        "alone": alone,
        "errors": errors,
        "run_s": round(total_s),
        "load_average": round(load[0], 1),
    }
    print(json.dumps(result, ensure_ascii=False))

"""`hall bench queue [clients=32] [seconds=20] [think=2000] [think_seconds=60] [workers=2]
[threads=4]`

The queue under load through a real node (gunicorn gthread via `hall node`, as bench_http)
on PostgreSQL (database hall_bench_queue, county node): half the clients are kiosks taking
numbers (POST /quhao/qu/, CSRF as a browser sends it), half are clerks at their own windows
calling the next number (POST /gongzuotai/jiaohao/next/, logged in through the login page).
Eight departments with four windows each; takers spread over the departments.

Three runs on one server and one day's queue, as `hall bench http` does:
- baseline: one kiosk and one clerk, closed loop (each asks again as soon as answered),
  `seconds` / 2;
- saturation: `clients` clients, closed loop, `seconds`: what two cores serve at most;
  latency there is queueing (clients / throughput), printed beside;
- hall model: `clients` clients, `think_seconds`: after each answer a client waits a random
  time, exponential with mean `think` ms, and each starts at a random moment within the
  first mean (a fixed pause would keep all 32 in step, asking at the same instant every
  round). **The target, p95 of both at most 20 ms with 32 clients, is judged on this run**.
  A mean of 2 s is a citizen at every kiosk and a call at every window every 2 s, far
  busier than a hall; `think=0` skips the run.
Figures are printed as ratios against the baseline.
The last line of output is one JSON object.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.benchmarks import bench_http
from tests.benchmarks.support import bench_options, in_child, rerun_on_own_database

DB_NAME = "hall_bench_queue"
PASSWORD = bench_http.PASSWORD
PORT = 18791  # not bench_http's: both may run on one machine
DEPARTMENTS = ["mzj", "rsj", "scjg", "gaj", "wjj", "ybj", "zrzy", "jtj"]


@dataclass
class Client:
    kind: str  # "take" or "call"
    username: str = ""
    department: str = ""
    cookie: str = ""
    csrf: str = ""
    times: list = field(default_factory=list)
    errors: int = 0


def run(argv: list[str]) -> None:
    opts = bench_options(
        argv,
        {
            "clients": 32,
            "seconds": 20,
            "think": 2000,
            "think_seconds": 60,
            "workers": 2,
            "threads": 4,
        },
    )
    if not in_child():
        rerun_on_own_database(bench="queue", db_name=DB_NAME, argv=argv)
        return
    bench_http.PORT = PORT  # its request/login/server helpers read the module's PORT
    from django.core.management import call_command
    from django.db import connection

    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    clients = _setup(opts)
    connection.close()
    server = bench_http._start_server(opts)
    try:
        for c in clients:
            _session(c)
        pair = [next(c for c in clients if c.kind == k) for k in ("take", "call")]
        runs = {"baseline": _drive(pair, think=0, seconds=max(5, opts["seconds"] // 2))}
        runs["saturation"] = _drive(clients, think=0, seconds=opts["seconds"])
        if opts["think"]:
            runs["hall model"] = _drive(
                clients, think=opts["think"] / 1000, seconds=opts["think_seconds"]
            )
    finally:
        server.terminate()
        server.wait(30)
    _report(opts, runs)


def _setup(opts: dict) -> list[Client]:
    from django.utils import timezone

    from county.rules.models import Rule
    from permissions.roles import Role
    from permissions.services import staff_create
    from sites.queueing.models import Ticket, TicketSequence
    from sites.registry.models import Department, Site, Staff
    from sites.registry.services import departments_load, site_tree_load, window_open

    site_tree_load()
    departments_load()
    # A fresh day's queue each run, and no daily cap: the load takes thousands of numbers.
    Ticket.objects.all().delete()
    TicketSequence.objects.all().delete()
    Rule.objects.update_or_create(
        key="queueing.tickets",
        scope="site:county",
        defaults={"value": {"max_per_day": 1_000_000}, "changed_at": timezone.now()},
    )
    county = Site.objects.get(code="county")
    clients = []
    half = opts["clients"] // 2
    for i in range(half):
        dept = Department.objects.get(code=DEPARTMENTS[i % len(DEPARTMENTS)])
        window = window_open(site=county, department=dept, number=f"Q{i + 1}", name="叫号测试")
        username = f"bench-queue-{i}"
        if not Staff.objects.filter(user__username=username).exists():
            staff_create(
                username=username, name="叫号", site=county, roles=[Role.CLERK], password=PASSWORD
            )
        Staff.objects.filter(user__username=username).update(window=window)
        clients.append(Client("call", username=username, department=dept.code))
    for i in range(opts["clients"] - half):
        clients.append(Client("take", department=DEPARTMENTS[i % len(DEPARTMENTS)]))
    print(
        f"== {half} clerks at windows of {min(half, len(DEPARTMENTS))} departments, "
        f"{opts['clients'] - half} kiosks",
        flush=True,
    )
    return clients


def _session(c: Client) -> None:
    if c.kind == "call":
        clerk = bench_http.Clerk(c.username, [])
        bench_http._login(clerk)
        c.cookie = clerk.cookie
    _, headers, _ = bench_http._request(
        None, "GET", "/quhao/", headers={"Cookie": c.cookie} if c.cookie else {}
    )
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    c.csrf = jar["csrftoken"].value if "csrftoken" in jar else c.csrf
    c.cookie = "; ".join(x for x in (c.cookie, f"csrftoken={c.csrf}") if x)


def _loop(c: Client, stop: threading.Event, think: float) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    path = "/quhao/qu/" if c.kind == "take" else "/gongzuotai/jiaohao/next/"
    form = urlencode({"csrfmiddlewaretoken": c.csrf, "department": c.department})
    headers = {"Cookie": c.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    c.times, c.errors = [], 0
    rng = random.Random()
    if think and stop.wait(rng.uniform(0, think)):  # not all on the same instant
        return
    while not stop.is_set():
        start = time.perf_counter()
        status, conn = bench_http.send(conn, "POST", path, form, headers)
        elapsed = (time.perf_counter() - start) * 1000
        if status == 302:
            c.times.append(elapsed)
        else:
            c.errors += 1
        if think and stop.wait(rng.expovariate(1 / think)):
            break
    conn.close()


def _drive(clients: list[Client], *, think: float, seconds: int) -> dict:
    """Each client in its own thread until `seconds` pass; `think` is the mean pause (s)."""
    stop = threading.Event()
    threads = [threading.Thread(target=_loop, args=(c, stop, think)) for c in clients]
    start = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    out = {"clients": len(clients), "think_s": think, "seconds": round(wall, 1)}
    for kind, label in (("take", "ticket take"), ("call", "call next")):
        times = sorted(t for c in clients if c.kind == kind for t in c.times)
        q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else [0.0] * 99
        out[label] = {
            "requests": len(times),
            "errors": sum(c.errors for c in clients if c.kind == kind),
            "rps": round(len(times) / wall, 1),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(q[94], 1),
            "max_ms": round(times[-1], 1) if times else None,
        }
    return out


def _report(opts: dict, runs: dict) -> None:
    base = runs["baseline"]
    print(
        f"\nserver {opts['workers']} worker(s) x {opts['threads']} thread(s); load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; ratios against the baseline"
    )
    for name, run_ in runs.items():
        pause = (
            f"think exponential, mean {run_['think_s']:g} s" if run_["think_s"] else "closed loop"
        )
        print(f"-- {name}: {run_['clients']} client(s), {pause}, {run_['seconds']} s")
        for label in ("ticket take", "call next"):
            row, b = run_[label], base[label]
            print(
                f"   {label:<12} n={row['requests']:<6} p50 {row['p50_ms']:7.1f} ms "
                f"({row['p50_ms'] / b['p50_ms']:4.1f}x)  p95 {row['p95_ms']:7.1f} ms "
                f"({row['p95_ms'] / b['p95_ms']:4.1f}x)  max {row['max_ms']:7.1f} ms  "
                f"{row['rps']:6.1f}/s  errors {row['errors']}"
            )
    judged = runs.get("hall model")
    if judged is None:
        verdict = "not judged (think=0: no hall model run)"
    else:
        worst = max(judged[label]["p95_ms"] for label in ("ticket take", "call next"))
        errors = sum(judged[label]["errors"] for label in ("ticket take", "call next"))
        verdict = (
            f"{'MET' if worst <= 20 and errors == 0 else 'NOT MET'}: worst p95 {worst} ms, "
            f"errors {errors}"
        )
    print(
        f"target (p95 of take and call next <= 20 ms, 0 errors, {opts['clients']} clients; "
        f"judged on the hall model, saturation shown beside it): {verdict}"
    )
    print(
        json.dumps(
            {
                **runs,
                "options": opts,
                "target": verdict,
                "load_average": round(os.getloadavg()[0], 1),
            },
            ensure_ascii=False,
        )
    )

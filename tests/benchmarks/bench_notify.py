"""`hall bench notify [n=2000] [failure=0.1] [senders=2] [batch=50]`

SMS notifications per second through the sender (sites/notify/worker.py) and the HTTP
adapter to the local fake gateway (tests/support/fake_sms.py, a real HTTP server), on
PostgreSQL (database hall_bench_notify, county node). Two runs in the same process:
- baseline: `n` notifications, a gateway that never fails;
- failures: `n` notifications, the gateway failing `failure` of the calls (500), retried
  after the rule's backoff (set to 1 s here: the default 30 s would measure the wait).
`senders` threads run the sender loop at once (claims skip each other's locked rows).
Each run checks 0 lost (every row 已发送 and every key delivered) and 0 doubled (no call
for a key the gateway had already delivered). Figures are ratios to the baseline.
The last line of output is one JSON object.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

from tests.benchmarks.support import bench_options, in_child, rerun_on_own_database

DB_NAME = "hall_bench_notify"


def _setup() -> None:
    from django.utils import timezone

    from county.rules.models import Rule
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    Rule.objects.update_or_create(
        key="notify.sending",
        scope="",
        defaults={"value": {"attempts": 12, "backoff_seconds": 1}, "changed_at": timezone.now()},
    )


def _one_run(*, n: int, failure: float, senders: int, batch: int, label: str) -> dict:
    from django.db import connection, transaction

    from sites.notify.gateways import HttpGateway
    from sites.notify.models import Notification, Status
    from sites.notify.services import notify
    from sites.notify.worker import send_due
    from tests.support.fake_sms import FakeSms

    Notification.objects.all().delete()
    with transaction.atomic():
        for i in range(n):
            notify(
                None,
                "queue_near",
                phone="13812345678",
                ticket=f"A{i:04d}",
                ahead=3,
                window="3号窗口",
                key=f"bench-{label}-{i}",
            )
    with FakeSms(failure_rate=failure) as fake:
        gateway = HttpGateway(url=fake.url, account="b", secret="b", signature="", timeout=5)
        errors: list[BaseException] = []

        def sender():
            try:
                while Notification.objects.exclude(status=Status.SENT).exists():
                    if not sum(send_due(gateway=gateway, limit=batch).values()):
                        time.sleep(0.05)  # only backing-off rows left
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connection.close()

        start = time.perf_counter()
        threads = [threading.Thread(target=sender) for _ in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - start
        if errors:
            raise errors[0]
        sent = Notification.objects.filter(status=Status.SENT).count()
        keys = set(Notification.objects.values_list("key", flat=True))
        lost = (n - sent) + len(keys - set(fake.delivered))
        return {
            "n": n,
            "seconds": round(seconds, 3),
            "per_second": round(n / seconds, 1),
            "gateway_calls": sum(fake.requests.values()),
            "gateway_failures": fake.failures,
            "lost": lost,
            "doubled": fake.repeats,
        }


def run(argv: list[str]) -> None:
    opts = bench_options(argv, {"n": 2000, "failure": 0.1, "senders": 2, "batch": 50})
    if not in_child():
        rerun_on_own_database(bench="notify", db_name=DB_NAME, argv=argv)
        return
    from django.core.management import call_command

    logging.getLogger("sites.notify").setLevel(logging.WARNING)  # a line per SMS otherwise
    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    _setup()
    common = {"n": opts["n"], "senders": opts["senders"], "batch": opts["batch"]}
    base = _one_run(failure=0.0, label="base", **common)
    print(f"baseline (no failures): {base}", flush=True)
    fail = _one_run(failure=opts["failure"], label="fail", **common)
    print(f"with {opts['failure']:.0%} failures: {fail}", flush=True)
    ratio = round(fail["per_second"] / base["per_second"], 3)
    loadavg = Path("/proc/loadavg")
    load = loadavg.read_text().split()[:3] if loadavg.exists() else []
    print(
        f"throughput with failures / baseline = {ratio}; lost {fail['lost']}, "
        f"doubled {fail['doubled']}; load {' '.join(load)}",
        flush=True,
    )
    ok = fail["lost"] == fail["doubled"] == base["lost"] == base["doubled"] == 0
    print(json.dumps({"baseline": base, "failures": fail, "ratio": ratio, "load": load, "ok": ok}))
    if not ok:
        raise SystemExit(1)

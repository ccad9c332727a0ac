"""`hall bench supervision [cases=200000] [open=100000] [requests=200] [events=300] [fresh]`

E-supervision at the county on PostgreSQL (database hall_bench_supervision, reused between
runs unless `fresh`): `cases` cases in the read model over 300 halls (30 townships with 9
villages each) and 24 months, plus `open` running cases for the alert tick. The issue speaks
of 1,000,000 cases; the default here is what loads in a few minutes on a shared 2-core
machine — pass cases=1000000 for the full size. Measured in the same run:

  dashboard   figures of a township's subtree for a month, total and by site (rolled-up rows)
  scan        the same figures by a plain aggregate over the case records (the baseline)
  trend       12-month county trend from the month rows; beside it the plain scan by month
  tick        the alert tick over `open` running cases: first run (lights fire), then steady
  apply       the read model's apply of one case event, without and with the rollup

Targets (issue 14): dashboard p95 <= 50 ms, trend p95 <= 100 ms, tick < 2 s for 100,000 open
cases. Last line: one JSON object.
"""

from __future__ import annotations

import json
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.benchmarks.support import bench_options, in_child, rerun_on_own_database, summary, timed

DB_NAME = "hall_bench_supervision"
TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 30)
FIRST = date(2024, 12, 1)  # 24 months up to November 2026
TOWNSHIPS, VILLAGES = 30, 9


def _options(argv: list[str]) -> dict:
    return bench_options(
        argv,
        {"cases": 200_000, "open": 100_000, "requests": 200, "events": 300, "fresh": False},
    )


def run(argv: list[str]) -> None:
    opts = _options(argv)
    if not in_child():
        rerun_on_own_database(bench="supervision", db_name=DB_NAME, argv=argv)
        return
    from django.core.management import call_command

    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    halls = _tree()
    _load(opts, halls)
    _measure(opts, halls)


def _tree() -> list[str]:
    from county.catalogue.models import Item
    from county.catalogue.sample import catalogue_load_sample
    from county.workdays.services import calendar_seed_from_library
    from sites.registry.models import Site
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    calendar_seed_from_library()
    if not Item.objects.exists():
        catalogue_load_sample()
    county = Site.objects.get(code="county")
    halls = []
    for t in range(TOWNSHIPS):
        township, _ = Site.objects.get_or_create(
            code=f"t-b{t:02d}",
            defaults={"name": f"测试镇{t}", "tier": "township", "parent": county},
        )
        halls.append(township.code)
        for v in range(VILLAGES):
            village, _ = Site.objects.get_or_create(
                code=f"v-b{t:02d}-{v}",
                defaults={"name": f"测试村{t}-{v}", "tier": "village", "parent": township},
            )
            halls.append(village.code)
    return halls  # 300 halls


def _records(n: int, halls: list[str], *, items, rng, open_: bool, start: int):
    from county.readmodel.models import CaseRecord

    span = (TODAY - FIRST).days
    out = []
    for i in range(n):
        code, name, legal, promised = rng.choice(items)
        hall = halls[rng.randrange(len(halls))]
        # half of a village's cases are held by its township (forwarded)
        owner = hall if hall.startswith("t-") or rng.random() < 0.5 else "t-" + hall[2:5]
        if open_:
            submitted = datetime.combine(
                TODAY - timedelta(days=rng.randrange(30)), datetime.min.time(), TZ
            )
        else:
            submitted = datetime.combine(
                FIRST + timedelta(days=rng.randrange(span)), datetime.min.time(), TZ
            )
        submitted += timedelta(hours=8 + rng.random() * 9)
        accepted = submitted + timedelta(minutes=rng.randrange(0, 3000))
        used = rng.randrange(0, promised + 3)
        concluded = None if open_ else accepted + timedelta(days=used * 7 // 5, hours=1)
        deadline = (accepted + timedelta(days=promised * 7 // 5 + 1)).date()
        if open_:
            deadline = TODAY + timedelta(days=rng.randrange(-5, 25))
        late = (not open_ and used > promised) or (open_ and deadline < TODAY)
        out.append(
            CaseRecord(
                number=f"{hall}-{'o' if open_ else 'c'}{start + i:08d}",
                last_seq=4,
                status="accepted" if open_ else "concluded",
                outcome="" if open_ else "approved",
                owner_site=owner,
                origin_site=hall,
                decided_site="" if open_ else owner,
                item_code=code,
                item_name=name,
                item_version=1,
                handling_type="promised",
                legal_limit_days=legal,
                promised_limit_days=promised,
                submitted_at=submitted,
                accepted_at=accepted,
                concluded_at=concluded,
                same_day=bool(concluded and concluded.date() == accepted.date()),
                deadline=deadline,
                clock_state="on_time" if open_ else "stopped",
                days_used=used,
                was_overdue=late,
            )
        )
    return out


def _load(opts: dict, halls: list[str]) -> None:
    from django.db import connection

    from county.catalogue.models import ItemVersion
    from county.readmodel.models import CaseRecord
    from county.supervision.models import Grain, StatRow

    n, n_open = opts["cases"], opts["open"]
    have = CaseRecord.objects.count() == n + n_open and not opts["fresh"]
    if have and StatRow.objects.filter(grain=Grain.HALL_MONTH).exists():
        print(f"== reusing {n:,} cases and {n_open:,} open ones", flush=True)
        return
    if have:
        print(f"== reusing {n:,} cases and {n_open:,} open ones; rolling up again", flush=True)
        _rollup(n + n_open)
        return
    items = list(
        ItemVersion.objects.filter(number=1, legal_limit_days__gt=0).values_list(
            "item__code", "name", "legal_limit_days", "promised_limit_days"
        )
    )
    rng = random.Random(14)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE readmodel_caserecord, readmodel_casefact, supervision_statrow, "
            "supervision_statshare, supervision_alert"
        )
    print(
        f"== loading {n:,} cases over {len(halls)} halls and 24 months, {n_open:,} open", flush=True
    )
    for start in range(0, n, 20_000):
        batch = _records(
            min(20_000, n - start), halls, items=items, rng=rng, open_=False, start=start
        )
        CaseRecord.objects.bulk_create(batch, batch_size=5000)
    for start in range(0, n_open, 20_000):
        batch = _records(
            min(20_000, n_open - start), halls, items=items, rng=rng, open_=True, start=start
        )
        CaseRecord.objects.bulk_create(batch, batch_size=5000)
    print(f"   records in {time.perf_counter() - started:.1f} s", flush=True)
    _rollup(n + n_open)


def _rollup(count: int) -> None:
    from django.db import connection

    from county.supervision.models import StatRow
    from county.supervision.rollup import stats_rebuild

    print("   rolling up ...", flush=True)
    started = time.perf_counter()
    stats_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"   rollup of {count:,} cases in {time.perf_counter() - started:.1f} s "
        f"({StatRow.objects.count():,} rows)",
        flush=True,
    )


def _scan(codes: list[str] | None, start: date, end: date) -> dict:
    """The baseline: the month's figures straight from the case records (no rollup)."""
    from django.db.models import Avg, Count, F, FloatField, Q
    from django.db.models.functions import Cast

    from county.readmodel.models import CaseRecord

    qs = CaseRecord.objects.all()
    intake = qs.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
    done = qs.filter(status="concluded", concluded_at__date__gte=start, concluded_at__date__lte=end)
    if codes is not None:
        intake = intake.filter(origin_site__in=codes)
        done = done.filter(decided_site__in=codes)
    a = intake.aggregate(
        received=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False))
    )
    b = done.aggregate(
        concluded=Count("id"),
        same_day=Count("id", filter=Q(same_day=True)),
        on_time=Count("id", filter=Q(was_overdue=False)),
        avg=Avg("days_used"),
        speed=Avg(
            Cast(F("legal_limit_days") - F("days_used"), FloatField()) / F("legal_limit_days")
        ),
    )
    return a | b


def _scan_trend(start: date, end: date) -> list:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from county.readmodel.models import CaseRecord

    rows = (
        CaseRecord.objects.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    done = (
        CaseRecord.objects.filter(
            status="concluded", concluded_at__date__gte=start, concluded_at__date__lte=end
        )
        .annotate(month=TruncMonth("concluded_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return [list(rows), list(done)]


def _apply_cost(events: int) -> tuple[float, float]:
    """Read-model apply per case event without and with the rollup (rolled back after)."""
    from django.db import transaction
    from django.db.models.signals import post_save

    from county.readmodel.models import CaseRecord
    from county.supervision import receivers
    from tests.supervision.factories import Timeline, bj

    def run(tag: str) -> float:
        cases = max(events // 3, 1)
        started = time.perf_counter()
        with transaction.atomic():
            for i in range(cases):  # submitted, accepted, decided: 3 events each
                t = Timeline(f"t-b00-{tag}{i:06d}", "mzj-002", "t-b00", bj("2026-11-02", "09:00"))
                t.accept(bj("2026-11-02", "10:00"), date(2026, 11, 11))
                t.decide(bj("2026-11-05", "15:00"), used=3)
            transaction.set_rollback(True)
        return round((time.perf_counter() - started) * 1000 / (cases * 3), 2)

    post_save.disconnect(
        receivers._record_saved, sender=CaseRecord, dispatch_uid="supervision-record-rollup"
    )
    try:
        plain = run("p")
    finally:
        post_save.connect(
            receivers._record_saved, sender=CaseRecord, dispatch_uid="supervision-record-rollup"
        )
    rolled = run("r")
    print(
        f"read-model apply per event   plain {plain:8.2f} ms   with rollup {rolled:8.2f} ms",
        flush=True,
    )
    return plain, rolled


def _measure(opts: dict, halls: list[str]) -> None:
    from county.supervision.alerts import alerts_tick
    from county.supervision.models import Alert
    from county.supervision.selectors import (
        figures_with_total,
        months_back,
        period_range,
        subtree_codes,
        trend,
    )

    rng = random.Random(5)
    townships = [h for h in halls if h.startswith("t-")]
    n = opts["requests"]

    def month():
        return period_range(kind="month", on=date(2025 + rng.randrange(2), rng.randrange(1, 12), 1))

    def dashboard():
        period, codes = month(), subtree_codes(code=rng.choice(townships))
        figures_with_total(period=period, sites=codes, by="site")  # what the page asks

    def dashboard_scan():
        period, codes = month(), subtree_codes(code=rng.choice(townships))
        _scan(codes, period.start, period.end)

    def county_trend():
        trend(sites=None, until=TODAY, months=12)

    def trend_scan():
        span = months_back(until=TODAY, months=12)
        _scan_trend(span.start, span.end)

    results = {}
    print(f"== {n} requests each", flush=True)
    results["dashboard"] = summary("dashboard (rollup)", *timed(dashboard, n))
    results["dashboard_scan"] = summary(
        "dashboard (plain scan)", *timed(dashboard_scan, max(n // 10, 20), warmup=3)
    )
    results["trend"] = summary("county trend 12 months", *timed(county_trend, n))
    results["trend_scan"] = summary(
        "trend (plain scan)", *timed(trend_scan, max(n // 20, 10), warmup=2)
    )
    Alert.objects.all().delete()
    started = time.perf_counter()
    first = alerts_tick(today=TODAY)
    tick_first = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    steady = alerts_tick(today=TODAY)
    tick_steady = (time.perf_counter() - started) * 1000
    print(
        f"alert tick, {opts['open']:,} open   first {tick_first:8.0f} ms "
        f"({first['fired']:,} lights)   steady {tick_steady:8.0f} ms ({steady['fired']} new)",
        flush=True,
    )
    apply_plain, apply_rollup = _apply_cost(opts["events"])
    ratio_d = results["dashboard_scan"]["p95_ms"] / results["dashboard"]["p95_ms"]
    ratio_t = results["trend_scan"]["p95_ms"] / results["trend"]["p95_ms"]
    print(f"== scan / rollup at p95: dashboard x{ratio_d:.1f}, trend x{ratio_t:.1f}", flush=True)
    print(
        json.dumps(
            {
                "cases": opts["cases"],
                "open": opts["open"],
                "halls": len(halls),
                "dashboard_p95_ms": results["dashboard"]["p95_ms"],
                "dashboard_scan_p95_ms": results["dashboard_scan"]["p95_ms"],
                "dashboard_ratio": round(ratio_d, 1),
                "trend_p95_ms": results["trend"]["p95_ms"],
                "trend_scan_p95_ms": results["trend_scan"]["p95_ms"],
                "trend_ratio": round(ratio_t, 1),
                "apply_ms_per_event": apply_plain,
                "apply_with_rollup_ms_per_event": apply_rollup,
                "tick_first_ms": round(tick_first),
                "tick_steady_ms": round(tick_steady),
                "lights": first["fired"],
                # the tick as beat runs it; a first tick lighting every late case at once is
                # reported beside it (tick_first_ms), not hidden
                "targets_met": results["dashboard"]["p95_ms"] <= 50
                and results["trend"]["p95_ms"] <= 100
                and tick_steady < 2000,
                "first_tick_under_2s": tick_first < 2000,
            }
        )
    )

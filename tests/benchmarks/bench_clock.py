"""`hall bench clock`: the periodic clock tick over 100,000 open cases (HALL_BENCH_CASES=N).

Runs in a throw-away test database (never the node's own). Measures, in the same run:
  baseline  the raw calendar arithmetic alone (deadline + days used per case, in memory)
  cold      the tick when every stored clock is stale (all rows rewritten, overdue events)
  steady    the tick as beat runs it every few minutes (nothing changed since last time)
Last line: one JSON object.
"""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta


def _seed(n: int, today) -> None:
    from django.utils import timezone

    from county.catalogue.models import HandlingType, ItemVersion
    from county.catalogue.sample import catalogue_load_sample
    from county.workdays.services import calendar_seed_from_library
    from sites.cases.models import Case, CaseStatus, ClockEntry, LedgerKind
    from sites.registry.models import Site
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    calendar_seed_from_library()
    catalogue_load_sample()
    county = Site.objects.get(code="county")
    versions = list(ItemVersion.objects.exclude(handling_type=HandlingType.INSTANT))
    rnd = random.Random(4)
    cases, starts = [], []
    for i in range(n):
        version = rnd.choice(versions)
        late = rnd.random() < 0.01  # a few cases run out of time: the tick records them
        back = (
            version.promised_limit_days * 2 + 7
            if late
            else rnd.randint(0, version.promised_limit_days)
        )
        start = today - timedelta(days=back)
        at = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
        suspended = rnd.random() < 0.1
        cases.append(
            Case(
                number=f"bench-{i:07d}",
                item_version=version,
                origin_site=county,
                owner_site=county,
                status=CaseStatus.SUSPENDED if suspended else CaseStatus.ACCEPTED,
                applicant_name="测试",
                applicant_id_number="11010519491231002X",
                applicant_phone="13812345678",
                submitted_at=at,
                accepted_at=at,
            )
        )
        starts.append((start, version.promised_limit_days, suspended))
    Case.objects.bulk_create(cases, batch_size=5000)
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    entries = []
    for pk, (start, budget, suspended) in zip(ids, starts, strict=True):
        entries.append(ClockEntry(case_id=pk, kind=LedgerKind.BUDGET, days=budget, start=start))
        if suspended:
            entries.append(ClockEntry(case_id=pk, kind=LedgerKind.SUSPENSION, start=today))
        elif pk % 7 == 0:
            entries.append(
                ClockEntry(
                    case_id=pk, kind=LedgerKind.EXTENSION, days=3, start=start, reason="核查"
                )
            )
    ClockEntry.objects.bulk_create(entries, batch_size=5000)


def _baseline(today) -> tuple[float, int]:
    """Deadline and days used for every ledger, from rows already in memory, no memo."""
    from county.workdays.clock import WorkCalendar
    from county.workdays.selectors import calendar_current
    from sites.cases.models import ClockEntry

    built = calendar_current()
    rows = list(ClockEntry.objects.filter(kind="budget").values_list("start", "days"))
    calendar = WorkCalendar(built.off, built.work, built.years)
    began = time.perf_counter()
    for start, days in rows:
        calendar._memo.clear()  # the raw arithmetic, every time
        calendar.add_working_days(start, days)
        calendar.working_days_between(start, today)
    return time.perf_counter() - began, len(rows)


def run(argv: list[str]) -> None:
    import os

    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.utils import timezone

    n = int(argv[0]) if argv else int(os.environ.get("HALL_BENCH_CASES", "100000"))
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from django.conf import settings

        settings.HALL_SITE = "county"
        from sites.cases.supervision import case_clocks_refresh

        today = timezone.localdate()
        began = time.perf_counter()
        _seed(n, today)
        seed_s = time.perf_counter() - began
        print(f"seeded {n} open cases in {seed_s:.1f}s ({connection.vendor})", flush=True)

        base_s, rows = _baseline(today)
        print(f"baseline  raw calendar arithmetic for {rows} ledgers: {base_s:.2f}s", flush=True)

        began = time.perf_counter()
        cold = case_clocks_refresh(today=today)
        cold_s = time.perf_counter() - began
        print(f"cold tick {cold}: {cold_s:.2f}s = {cold_s / base_s:.1f}x baseline", flush=True)

        began = time.perf_counter()
        steady = case_clocks_refresh(today=today)
        steady_s = time.perf_counter() - began
        print(f"steady tick {steady}: {steady_s:.2f}s = {steady_s / base_s:.1f}x baseline")
        print(
            json.dumps(
                {
                    "cases": n,
                    "seconds": round(steady_s, 3),
                    "cold_seconds": round(cold_s, 3),
                    "baseline_seconds": round(base_s, 3),
                    "steady_ratio": round(steady_s / base_s, 2),
                    "cold_ratio": round(cold_s / base_s, 2),
                    "cases_per_second": round(n / steady_s),
                    "changed_cold": cold["changed"],
                    "overdue_events_cold": cold["overdue"],
                    "database": connection.vendor,
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

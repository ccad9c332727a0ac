"""`hall bench graphql [cases=1000000] [requests=300] [fresh]`

The county's GraphQL view at `cases` cases in the read model (PostgreSQL, database
hall_bench_graphql, reused between runs unless `fresh`): the citizen's `caseStatus` and a
100-case cross-site page (site, item version, path, timeline, clock) through Django and
graphene, each beside the plain ORM fetch of the same rows in the same run. Pages start at
random places in the list (keyset cursors), so deep pages are measured, not only the first.

Targets (issue 6): caseStatus p95 <= 15 ms, page of 100 p95 <= 150 ms, and the same number
of SQL queries for a page of 10 and of 100. Last line: one JSON object.
"""

from __future__ import annotations

import json
import random
import time

from tests.benchmarks.support import bench_options, in_child, rerun_on_own_database, summary, timed

DB_NAME = "hall_bench_graphql"
CODE = "BENCH234"
SAMPLE = 2000
HALLS = ["county", "t-maan", "t-huangtan", "v-shiqiao", "v-liujia", "v-xiaohe", "v-dongping"]
PAGE = """query($n: Int!, $after: String) { cases(first: $n, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { number statusLabel
    item { code name itemVersion { name promisedLimitDays } }
    ownerSite { code tierLabel } originSite { code } path { code }
    clock { deadline daysUsed daysLeft state stateLabel provisional }
    timeline { seq label at site { name } } } } } }"""
STATUS = """query($n: String!, $c: String!) { caseStatus(number: $n, queryCode: $c) {
  number itemName statusLabel hall hallTier acceptedOn promisedOn lastHeardAt
  steps { label at hall } } }"""


def _options(argv: list[str]) -> dict:
    return bench_options(argv, {"cases": 1_000_000, "requests": 300, "fresh": False})


def run(argv: list[str]) -> None:
    opts = _options(argv)
    if not in_child():
        rerun_on_own_database(bench="graphql", db_name=DB_NAME, argv=argv)
        return
    from django.core.management import call_command

    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    _load(opts)
    _measure(opts)


def _load(opts: dict) -> None:
    from django.db import connection

    from county.catalogue.models import Item
    from county.catalogue.sample import catalogue_load_sample
    from county.readmodel.models import CaseRecord
    from county.workdays.services import calendar_seed_from_library
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    calendar_seed_from_library()
    if not Item.objects.exists():
        catalogue_load_sample()
    n = opts["cases"]
    if not opts["fresh"] and CaseRecord.objects.count() == n:
        print(f"== reusing {n:,} cases", flush=True)
        return
    started = time.perf_counter()
    print(f"== loading {n:,} cases and {3 * n:,} timeline facts ...", flush=True)
    halls = "ARRAY[" + ",".join(f"'{h}'" for h in HALLS) + "]"
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE readmodel_caserecord, readmodel_casefact")
        cursor.execute(
            f"""INSERT INTO readmodel_caserecord (number, last_seq, status, outcome, owner_site,
              origin_site, decided_site, item_code, item_name, item_version, handling_type,
              legal_limit_days, promised_limit_days, submitted_at, accepted_at, concluded_at,
              same_day, deadline, deadline_provisional, clock_state, days_used, was_overdue,
              query_code_hash)
            SELECT 'b-' || lpad(g::text, 8, '0'), 3,
              (ARRAY['accepted','concluded','suspended'])[1 + g %% 3], '',
              ({halls})[1 + g %% 7], ({halls})[1 + (g / 7) %% 7], '',
              'mzj-001', '最低生活保障申请', 1, 'promised', 30, 20,
              now() - make_interval(secs => g * 30), now() - make_interval(secs => g * 30),
              NULL, false, (now() - make_interval(secs => g * 30))::date + 28, false,
              (ARRAY['on_time','warning','overdue'])[1 + g %% 3], g %% 20, g %% 11 = 0, ''
            FROM generate_series(1, %s) AS g""",
            [n],
        )
        cursor.execute(
            f"""INSERT INTO readmodel_casefact (number, seq, type, at, site_code, actor, payload)
            SELECT 'b-' || lpad(g::text, 8, '0'), s,
              (ARRAY['submitted','accepted','forwarded'])[s],
              now() - make_interval(secs => g * 30 - s), ({halls})[1 + (g / 7) %% 7], '窗口人员',
              '{{}}'::jsonb
            FROM generate_series(1, %s) AS g, generate_series(1, 3) AS s""",
            [n],
        )
        cursor.execute("ANALYZE readmodel_caserecord")
        cursor.execute("ANALYZE readmodel_casefact")
    print(f"   loaded in {time.perf_counter() - started:.1f} s", flush=True)


def _sample_numbers(n: int) -> list[str]:
    """Give SAMPLE random cases a known query code (stored as the keyed hash, as halls do)."""
    from county.readmodel.models import CaseRecord
    from sites.cases.querycode import query_code_hash

    rng = random.Random(7)
    numbers = [f"b-{rng.randint(1, n):08d}" for _ in range(SAMPLE)]
    rows = list(CaseRecord.objects.filter(number__in=numbers))
    for row in rows:
        row.query_code_hash = query_code_hash(number=row.number, code=CODE)
    CaseRecord.objects.bulk_update(rows, ["query_code_hash"], batch_size=500)
    return [r.number for r in rows]


def _measure(opts: dict) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from county.graph.pagination import encode_cursor
    from county.readmodel.models import CaseFact, CaseRecord
    from permissions.services import role_grant
    from sites.registry.models import Site

    settings.HALL_CITIZEN_QUERY_LIMITS = [(10**9, 60)]  # measure the answer, not the limiter
    numbers = _sample_numbers(opts["cases"])
    user, _ = get_user_model().objects.get_or_create(username="bench-supervisor")
    role_grant(user=user, site=Site.objects.get(code="county"), role="county_supervisor")
    staff, citizen = Client(), Client()
    staff.force_login(user)
    rng = random.Random(11)
    starts = list(CaseRecord.objects.filter(number__in=numbers).values_list("submitted_at", "pk"))

    def post(client, query, variables):
        body = json.dumps({"query": query, "variables": variables})
        response = client.post("/graphql/", body, content_type="application/json")
        data = response.json()
        assert response.status_code == 200 and "errors" not in data, data
        return data

    def status():
        post(citizen, STATUS, {"n": rng.choice(numbers), "c": CODE})

    def status_orm():
        number = rng.choice(numbers)
        CaseRecord.objects.get(number=number)
        list(CaseFact.objects.filter(number=number).order_by("seq"))

    def page(size=100):
        at, pk = rng.choice(starts)
        data = post(staff, PAGE, {"n": size, "after": encode_cursor(at, pk)})
        assert len(data["data"]["cases"]["edges"]) == size

    def page_orm():
        at, pk = rng.choice(starts)
        rows = list(
            CaseRecord.objects.filter(submitted_at__lte=at)
            .exclude(submitted_at=at, pk__gte=pk)
            .order_by("-submitted_at", "-pk")[:100]
        )
        list(CaseFact.objects.filter(number__in=[r.number for r in rows]).order_by("number", "seq"))

    n = opts["requests"]
    print(f"== {opts['cases']:,} cases in the county read model, {n} requests each", flush=True)
    results = {
        "case_status": summary("caseStatus (GraphQL)", *timed(status, n)),
        "orm_case_status": summary("caseStatus rows (ORM)", *timed(status_orm, n)),
        "page100": summary("page of 100 (GraphQL)", *timed(page, n)),
        "orm_page100": summary("page of 100 rows (ORM)", *timed(page_orm, n)),
        "page10": summary("page of 10 (GraphQL)", *timed(lambda: page(10), max(50, n // 3))),
    }
    ratio = results["page100"]["p95_ms"] / results["orm_page100"]["p95_ms"]
    status_ratio = results["case_status"]["p95_ms"] / results["orm_case_status"]["p95_ms"]
    print(f"page of 100: GraphQL / ORM p95 = {ratio:.2f}x;  caseStatus: {status_ratio:.2f}x")
    print(
        json.dumps(
            {
                "cases": opts["cases"],
                "case_status_p95_ms": results["case_status"]["p95_ms"],
                "case_status_p50_ms": results["case_status"]["p50_ms"],
                "orm_case_status_p95_ms": results["orm_case_status"]["p95_ms"],
                "page100_p95_ms": results["page100"]["p95_ms"],
                "page100_p50_ms": results["page100"]["p50_ms"],
                "orm_page100_p95_ms": results["orm_page100"]["p95_ms"],
                "page100_vs_orm_ratio": round(ratio, 2),
                "case_status_vs_orm_ratio": round(status_ratio, 2),
                "queries_page10": results["page10"]["queries"],
                "queries_page100": results["page100"]["queries"],
                "queries_case_status": results["case_status"]["queries"],
            }
        )
    )

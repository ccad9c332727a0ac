"""`hall bench permissions [cases=1000000] [halls=300] [requests=300] [fresh]`

A clerk's filtered case list (page of 50, newest first) and a single-case permission check
on PostgreSQL with `cases` cases across `halls` halls and the grants they imply, beside the
same list with no permission filter, measured in the same run on the same data.

The data lives in its own database (hall_bench_permissions on 127.0.0.1:5432), built with
the real migrations, then bulk-loaded with generate_series: an extra site tree (townships
'bt-NNN' with villages 'bv-NNN-NN') brings the halls to `halls`; every hall has a clerk
group, townships and the county a chief-representative group; every case carries the
handling grants of its owner's groups (CaseGroupObjectPermission), as the signal
receivers would have written them; about 9% of the cases are open (received, accepted on
time, in warning or overdue, or waiting for a supplement), the rest concluded (OPEN_CASES).
A second run reuses the data unless `fresh` is given.

Timed per request, each with a fresh user object (grants are read per request, as in
production): `list` is the clerk's page through sites.cases.selectors.case_list_for_user
(the access filter) serialised with the API's CaseSerializer; `unfiltered` is the same
page, columns and serialiser (case_base() with LIST_COLUMNS) with no filter; `check` is
access_case(HANDLE) of one of the clerk's cases; `api` is GET /api/cases/?limit=50
through Django and DRF (includes the pagination COUNT). The newest-first indexes the lists
use come with the cases migrations (0003).

The last line of output is one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

from tests.benchmarks.support import bench_options, in_child, rerun_on_own_database

DB_NAME = "hall_bench_permissions"


def _options(argv: list[str]) -> dict:
    return bench_options(
        argv,
        {
            "cases": 1_000_000,
            "halls": 300,
            "requests": 300,
            "fresh": False,
        },
    )


def run(argv: list[str]) -> None:
    opts = _options(argv)  # fail early on a typo
    if not in_child():
        rerun_on_own_database(bench="permissions", db_name=DB_NAME, argv=argv)
    else:
        _child(opts)


# --- child: load, measure, report ---------------------------------------------------------


def _child(opts: dict) -> None:
    from django.core.management import call_command

    print(f"== migrate {DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    sites = load_sites(opts["halls"])
    load_cases(opts, sites)
    _drop_old_bench_indexes()
    _measure(opts, sites)


def load_sites(halls: int):
    from county.catalogue.models import Item
    from county.catalogue.sample import catalogue_load_sample
    from permissions.roles import Role
    from permissions.services import role_group_get_or_create
    from sites.registry.models import Site, Tier
    from sites.registry.services import departments_load, site_tree_load

    site_tree_load()
    departments_load()
    if not Item.objects.exists():
        catalogue_load_sample()
    county = Site.objects.get(code="county")
    t = 0
    while Site.objects.count() < halls:
        t += 1
        township, _ = Site.objects.get_or_create(
            code=f"bt-{t:03d}",
            defaults={"name": f"基准{t}镇便民服务中心", "tier": Tier.TOWNSHIP, "parent": county},
        )
        for v in range(1, 10):
            if Site.objects.count() >= halls:
                break
            Site.objects.get_or_create(
                code=f"bv-{t:03d}-{v:02d}",
                defaults={
                    "name": f"基准{t}镇{v}村便民服务站",
                    "tier": Tier.VILLAGE,
                    "parent": township,
                },
            )
    sites = list(Site.objects.order_by("id")[:halls])
    for site in sites:
        role_group_get_or_create(site=site, role=Role.CLERK)
        if site.tier != Tier.VILLAGE:
            role_group_get_or_create(site=site, role=Role.CHIEF_REPRESENTATIVE)
    print(f"== {len(sites)} halls", flush=True)
    return sites


# How the loaded cases stand: case g was submitted g*30 s ago (a million cases are about a
# year). Those of the last 30 days are open (the last day's only received, one in twenty
# waiting for a supplement, the others accepted with a deadline 20 days after they came in:
# on time, in warning or overdue by the calendar), older ones concluded. So a hall's inbox
# (open cases by deadline) holds about 9% of its cases, as in a working hall, not all of them.
OPEN_CASES = 30 * 24 * 120
NEW_CASES = 24 * 120


def _case_select_sql(site_ids: list[int], item_version_id: int, n: int) -> tuple[str, list]:
    """INSERT ... SELECT over generate_series for every concrete column of Case: case g is
    owned by hall g % halls, submitted g*30 s before now, in the state OPEN_CASES says."""
    from django.db import connection

    from sites.cases.models import Case

    submitted = "(now() - make_interval(secs => g * 30))"
    due = f"({submitted}::date + 20)"  # a promised limit of about 14 working days
    state = (  # how a year of cases stands today (see STATES_SQL)
        f"CASE WHEN g >= {OPEN_CASES} THEN 'done' WHEN g < {NEW_CASES} THEN 'new' "
        "WHEN g %% 20 = 0 THEN 'paused' ELSE 'running' END"
    )

    def by_state(**values: str) -> str:
        whens = " ".join(f"WHEN '{k}' THEN {v}" for k, v in values.items() if k != "other")
        return f"CASE {state} {whens} ELSE {values['other']} END"

    explicit = {
        "number": "'B' || lpad(g::text, 8, '0')",
        "item_version_id": str(int(item_version_id)),
        "origin_site_id": f"(%s::bigint[])[1 + g %% {len(site_ids)}]",
        "owner_site_id": f"(%s::bigint[])[1 + g %% {len(site_ids)}]",
        "submitted_at": submitted,
        "updated_at": "now()",
        "status": by_state(
            done="'concluded'", new="'submitted'", paused="'suspended'", other="'accepted'"
        ),
        "outcome": by_state(done="'approved'", other="''"),
        "accepted_at": by_state(new="NULL", other=f"{submitted} + interval '1 hour'"),
        "concluded_at": by_state(done=f"{submitted} + interval '3 days'", other="NULL"),
        "closed_at": by_state(done=f"{submitted} + interval '3 days'", other="NULL"),
        "deadline": by_state(new="NULL", other=due),
        "clock_state": by_state(
            done="'stopped'",
            new="'not_started'",
            paused="'suspended'",
            other=f"CASE WHEN {due} < current_date THEN 'overdue' "
            f"WHEN {due} < current_date + 3 THEN 'warning' ELSE 'on_time' END",
        ),
        "days_left": by_state(
            done="NULL", new="NULL", other=f"greatest(-99, {due} - current_date)"
        ),
        "applicant_name": "'李四'",
        "applicant_id_number": "'11010519491231002X'",
        "applicant_phone": "'13812345678'",
        "seq": "1",
    }
    cols, exprs, params = [], [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        cols.append(connection.ops.quote_name(field.column))
        if field.attname in explicit:
            exprs.append(explicit[field.attname])
            if "%s" in explicit[field.attname]:
                params.append(site_ids)
        elif field.null:
            exprs.append("NULL")
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {Case._meta.db_table} ({', '.join(cols)}) "
        f"SELECT {', '.join(exprs)} FROM generate_series(1, {int(n)}) AS g"
    )
    return sql, params


def load_cases(opts: dict, sites) -> None:
    from django.db import connection, transaction

    from county.catalogue.models import ItemVersion
    from permissions.models import CaseGroupObjectPermission, RoleGroup
    from permissions.roles import ROLES, CasePerm
    from permissions.services import perm_get
    from sites.cases.models import Case

    have = Case.objects.count()
    # data loaded before the cases had states (all received) is loaded again
    shaped = Case.objects.filter(status="concluded").exists()
    if have == opts["cases"] and shaped and not opts["fresh"]:
        print(f"== reusing {have} cases", flush=True)
        return
    version = ItemVersion.objects.get(item__code="mzj-002", number=1)
    site_ids = [s.pk for s in sites]
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"TRUNCATE {Case._meta.db_table} CASCADE")
        sql, params = _case_select_sql(site_ids, version.pk, opts["cases"])
        cur.execute(sql, params)
        print(f"== {opts['cases']} cases in {time.perf_counter() - start:.1f}s", flush=True)
        handling = [r.value for r, s in ROLES.items() if s.handles_cases]
        perm = perm_get(Case, CasePerm.HANDLE)
        cur.execute(
            f"INSERT INTO {CaseGroupObjectPermission._meta.db_table} "
            "(permission_id, group_id, content_object_id) "
            f"SELECT %s, rg.group_id, c.id FROM {Case._meta.db_table} c "
            f"JOIN {RoleGroup._meta.db_table} rg ON rg.site_id = c.owner_site_id "
            "WHERE rg.role = ANY(%s)",
            [perm.pk, handling],
        )
        print(f"== {cur.rowcount} case grants, {time.perf_counter() - start:.1f}s", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _drop_old_bench_indexes() -> None:
    """Earlier runs added these by hand; cases migration 0003 now makes the same indexes."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP INDEX IF EXISTS bench_case_owner_newest")
        cur.execute("DROP INDEX IF EXISTS bench_case_newest")


def bench_user(username: str, site, role):
    from django.contrib.auth import get_user_model

    from permissions.services import staff_create

    user = get_user_model().objects.filter(username=username).first()
    return user or staff_create(
        username=username, name="基准", site=site, roles=[role], password=None
    )


def _interleaved(series: dict, rounds: int, warmup: int = 10, capped: dict | None = None):
    """Time every series round-robin, so a load spike on the machine hits them all alike
    (a fair baseline in the same run). `capped`: series name -> fewer rounds (slow ones).
    Returns name -> (times in ms, queries per call)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    capped = capped or {}
    for fn in series.values():
        for _ in range(warmup):
            fn()
    out = {name: ([], []) for name in series}
    for i in range(rounds):
        for name, fn in series.items():
            if i >= capped.get(name, rounds):
                continue
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                out[name][0].append((time.perf_counter() - start) * 1000)
            out[name][1].append(len(ctx.captured_queries))
    return out


def _stats(name: str, times: list[float], queries: list[int]) -> dict:
    q = statistics.quantiles(times, n=100)
    row = {
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(q[94], 2),
        "queries": sorted(set(queries)),
    }
    print(
        f"{name:<34} p50 {row['p50_ms']:7.2f} ms   p95 {row['p95_ms']:7.2f} ms   "
        f"queries/request {row['queries']}",
        flush=True,
    )
    return row


def _measure(opts: dict, sites) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from permissions.roles import Action, Role
    from sites.cases import access as case_access
    from sites.cases.models import Case
    from sites.cases.selectors import LIST_COLUMNS, case_base, case_list_for_user
    from sites.cases.serializers import CaseSerializer
    from sites.registry.models import Tier

    User = get_user_model()
    halls = len(sites)
    index = {s.pk: i for i, s in enumerate(sites)}
    # the township with the most villages, and one of them
    township = max(
        (s for s in sites if s.tier == Tier.TOWNSHIP), key=lambda t: (t.children.count(), t.pk)
    )
    village = township.children.order_by("pk").last()
    users = {
        "village clerk": bench_user(f"bench-clerk-{village.code}", village, Role.CLERK),
        "township clerk": bench_user(f"bench-clerk-{township.code}", township, Role.CLERK),
    }

    def numbers_of(site, k=200):
        """Numbers of cases the site owns: case g belongs to sites[g % halls]."""
        i = index[site.pk]
        return [f"B{g:08d}" for g in range(i or halls, opts["cases"] + 1, halls)[:k]]

    n = opts["requests"]

    def unfiltered_qs():
        return case_base().only(*LIST_COLUMNS)

    def page(user, filtered: bool):
        fresh = User.objects.get(pk=user.pk)  # as authentication does, per request
        qs = case_list_for_user(user=fresh) if filtered else unfiltered_qs()
        return CaseSerializer(list(qs[:50]), many=True).data

    for user in users.values():
        got = page(user, True)
        assert len(got) == 50 and all(
            r["owner_site"] in {s.code for s in sites if s.path.startswith(user.staff.site.path)}
            for r in got
        ), "the filtered page holds someone else's case"

    # The page's SQL alone (user and grants already read): the filter's own cost in the
    # database, without Python's share of the request.
    def sql_only(qs):
        with connection.cursor() as cur:
            sql, params = qs.query.sql_with_params()
            cur.execute(sql, params)
            cur.fetchall()

    township_user = User.objects.get(pk=users["township clerk"].pk)
    filtered_qs = case_list_for_user(user=township_user)[:50]
    bare_filtered_qs = case_access.case_queryset_for_user(user=township_user)[:50]
    clerk = users["village clerk"]
    mine = numbers_of(village)

    def check():
        fresh = User.objects.get(pk=clerk.pk)
        case_access.access_case(user=fresh, number=random.choice(mine), action=Action.HANDLE)

    token = Token.objects.get_or_create(user=users["township clerk"])[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def api():
        response = client.get("/api/cases/", {"limit": 50})
        assert response.status_code == 200, response.status_code

    series = {
        "list village clerk": lambda: page(users["village clerk"], True),
        "list township clerk": lambda: page(users["township clerk"], True),
        "unfiltered": lambda: page(users["village clerk"], False),
        "check": check,
        "sql list": lambda: sql_only(filtered_qs),
        "sql unfiltered": lambda: sql_only(unfiltered_qs()[:50]),
        # the same pages without case_base()'s seven joins: the filter alone
        "sql list bare": lambda: sql_only(bare_filtered_qs),
        "sql unfiltered bare": lambda: sql_only(Case.objects.all()[:50]),
        "api": api,
    }
    # Without a newest-first index the unfiltered page sorts every case (about a second):
    # it then gets 30 rounds so the run ends; the counts are printed.
    start = time.perf_counter()
    page(users["village clerk"], False)
    slow = (time.perf_counter() - start) > 0.2
    capped = {"api": n // 3}
    if slow:
        capped.update({"unfiltered": 30, "sql unfiltered": 30, "sql unfiltered bare": 30})
    print(
        f"\n{opts['cases']} cases, {halls} halls, {n} rounds, series interleaved "
        f"(PostgreSQL {connection.pg_version // 10000}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)",
        flush=True,
    )
    timed = _interleaved(series, n, warmup=3 if slow else 10, capped=capped)
    labels = {
        "list village clerk": "list (village clerk)",
        "list township clerk": f"list (township clerk, {township.children.count() + 1} halls)",
        "unfiltered": "unfiltered list",
        "check": "single-case check (handle)",
        "sql list": "  SQL only: township page",
        "sql unfiltered": "  SQL only: unfiltered page",
        "sql list bare": "  SQL only, no joins: township page",
        "sql unfiltered bare": "  SQL only, no joins: unfiltered",
        "api": "API GET /api/cases/ (township)",
    }
    results = {name: _stats(f"{labels[name]} n={len(t)}", t, q) for name, (t, q) in timed.items()}

    # The database's own view (planning + execution, from EXPLAIN ANALYZE): less
    # sensitive to a busy machine than wall-clock time in Python.
    def server_ms(qs, k=15) -> tuple[float, float]:
        sql, params = qs.query.sql_with_params()
        plans, execs = [], []
        with connection.cursor() as cur:
            for _ in range(k):
                cur.execute("EXPLAIN (ANALYZE, SUMMARY ON, FORMAT JSON) " + sql, params)
                doc = cur.fetchone()[0]
                doc = json.loads(doc) if isinstance(doc, str) else doc
                plans.append(doc[0]["Planning Time"])
                execs.append(doc[0]["Execution Time"])
        return round(statistics.median(plans), 2), round(statistics.median(execs), 2)

    server = {
        "township page": server_ms(filtered_qs),
        "unfiltered page": server_ms(unfiltered_qs()[:50], k=3 if slow else 15),
    }
    for name, (plan_ms, exec_ms) in server.items():
        print(f"  server: {name:<16} planning {plan_ms:6.2f} ms   execution {exec_ms:6.2f} ms")

    with connection.cursor() as cur:
        qs = case_list_for_user(user=User.objects.get(pk=users["township clerk"].pk))[:50]
        sql, params = qs.query.sql_with_params()
        cur.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        print("\nplan of the township clerk's page:")
        print("\n".join("  " + r[0] for r in cur.fetchall()))

    worst = max(results["list village clerk"]["p95_ms"], results["list township clerk"]["p95_ms"])
    list_queries = sorted(
        set(results["list village clerk"]["queries"])
        | set(results["list township clerk"]["queries"])
    )
    summary = {
        "cases": opts["cases"],
        "halls": halls,
        "rounds": n,
        "load_average": round(os.getloadavg()[0], 1),
        "list_p50_ms": max(
            results["list village clerk"]["p50_ms"], results["list township clerk"]["p50_ms"]
        ),
        "list_p95_ms": worst,
        "list_village_p95_ms": results["list village clerk"]["p95_ms"],
        "list_township_p95_ms": results["list township clerk"]["p95_ms"],
        "unfiltered_p50_ms": results["unfiltered"]["p50_ms"],
        "unfiltered_p95_ms": results["unfiltered"]["p95_ms"],
        "ratio": round(worst / results["unfiltered"]["p95_ms"], 2),
        "check_p50_ms": results["check"]["p50_ms"],
        "check_p95_ms": results["check"]["p95_ms"],
        "api_p95_ms": results["api"]["p95_ms"],
        "sql_list_p95_ms": results["sql list"]["p95_ms"],
        "sql_unfiltered_p95_ms": results["sql unfiltered"]["p95_ms"],
        "sql_list_nojoin_p95_ms": results["sql list bare"]["p95_ms"],
        "sql_unfiltered_nojoin_p95_ms": results["sql unfiltered bare"]["p95_ms"],
        "server_list_plan_ms": server["township page"][0],
        "server_list_exec_ms": server["township page"][1],
        "server_unfiltered_exec_ms": server["unfiltered page"][1],
        "queries_per_request": list_queries[0] if len(list_queries) == 1 else list_queries,
        "unfiltered_queries_per_request": results["unfiltered"]["queries"][0],
        "check_queries_per_request": results["check"]["queries"],
        "api_queries_per_request": results["api"]["queries"],
    }
    print(json.dumps(summary, ensure_ascii=False))

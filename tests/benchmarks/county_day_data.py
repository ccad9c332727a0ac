"""The county of `hall bench county-day`: its site tree, keys, data and the halls' events.

- Tree: the demo tree (7 halls) plus TOWNSHIPS generated townships `t-bNN` with
  VILLAGES generated villages `v-bNN-VV` each, written to a tree file (HALL_SITES_FILE) that
  the bench, its server and its consumer all read, so every hall is a real site with keys.
- Keys: every hall's signing key under the bench folder (tests.support.keys), the county's
  trust folder pinning all of them, so the county checks each event's signature as usual.
- The hall's own cases (the clerks' pages): bench_permissions.load_cases, as `hall bench
  http` loads them (case g belongs to sites[g % halls], a year of cases, ~9% open).
- The county's read model: `cases` records over 24 months with 3 timeline facts each, by
  INSERT ... SELECT generate_series (seconds for a million), then the supervision rollup.
- Events: signed `case.event` envelopes from the villages into the county's queue, as each
  village's relay would publish them (a new case's `submitted`, then its `accepted`).
"""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

TOWNSHIPS, VILLAGES = 20, 15
EVENT_PREFIX = "ev-"  # the numbers of cases the events create (removed before each run)
CODE = "BENCH234"  # the query code of the citizens' sample cases


def tree_write(folder: Path) -> Path:
    """The demo tree plus the bench county's halls, as a tree file."""
    from sites.registry.tree import DEFAULT_TREE_FILE

    data = json.loads(Path(DEFAULT_TREE_FILE).read_text(encoding="utf-8"))
    for t in range(TOWNSHIPS):
        code = f"t-b{t:02d}"
        data["sites"].append(
            {"code": code, "name": f"基准{t}镇便民服务中心", "tier": "township", "parent": "county"}
        )
        for v in range(VILLAGES):
            data["sites"].append(
                {
                    "code": f"v-b{t:02d}-{v:02d}",
                    "name": f"基准{t}镇{v}村便民服务站",
                    "tier": "village",
                    "parent": code,
                }
            )
    path = folder / "halls.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def bench_halls() -> list[str]:
    """The generated halls (townships and villages), in tree order."""
    from sites.registry.tree import load_tree

    return [c for c in load_tree() if c.startswith(("t-b", "v-b"))]


def keys_write(root: Path) -> None:
    from sites.registry.tree import load_tree
    from tests.support.keys import keys_make

    keys_make(root, load_tree())


def load(opts: dict):
    """Sites, the halls' cases and the county's read model; returns the sites in id order."""
    from django.core.management import call_command

    from county.workdays.services import calendar_seed_from_library
    from tests.benchmarks.bench_permissions import load_cases, load_sites

    call_command("migrate", verbosity=0)
    calendar_seed_from_library()
    from sites.registry.models import Site

    sites = load_sites(len(bench_halls()) + 7)
    assert len(sites) == Site.objects.count()
    load_cases(opts, sites)
    _read_model(opts)
    return sites


def _read_model(opts: dict) -> None:
    from django.db import connection

    from county.readmodel.models import CaseRecord
    from county.supervision.models import StatRow
    from county.supervision.rollup import stats_rebuild

    n = opts["cases"]
    with connection.cursor() as cursor:  # what earlier runs' events left
        cursor.execute(f"DELETE FROM readmodel_casefact WHERE number LIKE '{EVENT_PREFIX}%%'")
        cursor.execute(f"DELETE FROM readmodel_caserecord WHERE number LIKE '{EVENT_PREFIX}%%'")
        cursor.execute("TRUNCATE sync_inboxmessage")
    have = CaseRecord.objects.count() == n and StatRow.objects.exists()
    if have and not opts["fresh"]:
        print(f"== reusing the county's read model of {n:,} cases", flush=True)
        return
    halls = bench_halls()
    array = "ARRAY[" + ",".join(f"'{h}'" for h in halls) + "]"
    span = 730 * 86400 // n  # seconds between two cases: 24 months
    started = time.perf_counter()
    print(f"== loading the read model: {n:,} cases over 24 months, {3 * n:,} facts", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE readmodel_caserecord, readmodel_casefact, supervision_statrow, "
            "supervision_statshare, supervision_alert"
        )
        # case g: submitted g*span s ago at hall halls[g % H]; half of a village's cases are
        # held by its township; the last 30 days' cases open, older ones concluded.
        cursor.execute(
            f"""INSERT INTO readmodel_caserecord (number, last_seq, status, outcome, owner_site,
              origin_site, decided_site, item_code, item_name, item_version, handling_type,
              legal_limit_days, promised_limit_days, submitted_at, accepted_at, concluded_at,
              same_day, deadline, deadline_provisional, clock_state, days_used, was_overdue,
              query_code_hash)
            SELECT 'b-' || lpad(g::text, 8, '0'), 3,
              CASE WHEN open THEN 'accepted' ELSE 'concluded' END,
              CASE WHEN open THEN '' ELSE 'approved' END,
              CASE WHEN hall LIKE 'v-%%' AND g %% 2 = 0 THEN 't-' || substr(hall, 3, 3)
                   ELSE hall END,
              hall, CASE WHEN open THEN '' ELSE hall END,
              'mzj-002', '最低生活保障申请', 1, 'promised', 30, 20, at, at,
              CASE WHEN open THEN NULL ELSE at + make_interval(days => g %% 25) END,
              false, (at + interval '28 days')::date, false,
              CASE WHEN NOT open THEN 'stopped' WHEN g %% 11 = 0 THEN 'overdue'
                   ELSE 'on_time' END,
              g %% 25, g %% 11 = 0, ''
            FROM (SELECT g, ({array})[1 + g %% {len(halls)}] AS hall,
                    now() - make_interval(secs => g * {span}) AS at,
                    g * {span} < 30 * 86400 AS open
                  FROM generate_series(1, %s) AS g) AS c""",
            [n],
        )
        cursor.execute(
            f"""INSERT INTO readmodel_casefact (number, seq, type, at, site_code, actor, payload)
            SELECT 'b-' || lpad(g::text, 8, '0'), s,
              (ARRAY['submitted','accepted','decided'])[s],
              now() - make_interval(secs => g * {span} - s * 3600),
              ({array})[1 + g %% {len(halls)}], '窗口人员', '{{}}'::jsonb
            FROM generate_series(1, %s) AS g, generate_series(1, 3) AS s""",
            [n],
        )
        cursor.execute("ANALYZE readmodel_caserecord")
        cursor.execute("ANALYZE readmodel_casefact")
    print(f"   read model in {time.perf_counter() - started:.1f} s; rolling up ...", flush=True)
    started = time.perf_counter()
    stats_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"   rollup in {time.perf_counter() - started:.1f} s", flush=True)


def citizen_numbers(n: int, k: int = 500) -> list[str]:
    """`k` read-model cases given the known query code (stored as the keyed hash, as halls do)."""
    from county.readmodel.models import CaseRecord
    from sites.cases.querycode import query_code_hash

    rng = random.Random(7)
    numbers = [f"b-{rng.randint(1, n):08d}" for _ in range(k)]
    rows = list(CaseRecord.objects.filter(number__in=numbers))
    for row in rows:
        row.query_code_hash = query_code_hash(number=row.number, code=CODE)
    CaseRecord.objects.bulk_update(rows, ["query_code_hash"], batch_size=500)
    return [r.number for r in rows]


class Events:
    """Case events as the villages' relays publish them into the county's queue: each new
    case's `submitted` (seq 1), then `accepted` (seq 2) a few events later, signed by its
    village with that hall's own key. `sent` keeps each message's id and wall-clock time."""

    def __init__(self, keys_root: Path):
        from sync.transport import connect, exchange

        self.root = str(keys_root)
        self.villages = [c for c in bench_halls() if c.startswith("v-")]
        self.conn = connect()
        self.conn.__enter__()
        topology_county(self.conn)
        self.producer = self.conn.Producer()
        self.exchange = exchange()
        self.pending: list[tuple[str, str, dict]] = []  # submitted cases awaiting acceptance
        self.sent: dict[str, float] = {}
        self.rng = random.Random(27)

    def close(self) -> None:
        self.conn.__exit__(None, None, None)

    def _case(self, number: str, village: str, now: datetime, status: str) -> dict:
        return {
            "status": status,
            "outcome": "",
            "owner_site": village,
            "origin_site": village,
            "item_code": "mzj-002",
            "item_name": "最低生活保障申请",
            "item_version": 1,
            "handling_type": "promised",
            "legal_limit_days": 30,
            "promised_limit_days": 20,
            "submitted_at": now.isoformat(),
            "accepted_at": now.isoformat() if status == "accepted" else None,
            "concluded_at": None,
            "deadline": (now + timedelta(days=28)).date().isoformat(),
            "deadline_provisional": False,
            "clock_state": "on_time",
            "days_used": 0,
            "query_code_hash": "",
        }

    def publish_one(self) -> None:
        from sync.outbox import routing_key
        from tests.support.inject import envelope_dict

        now = datetime.now(UTC)
        if self.pending and (len(self.pending) > 20 or self.rng.random() < 0.5):
            number, village, _ = self.pending.pop(0)
            seq, type_, status = 2, "accepted", "accepted"
        else:
            number = f"{EVENT_PREFIX}{uuid.uuid4().hex[:12]}"
            village = self.rng.choice(self.villages)
            seq, type_, status = 1, "submitted", "received"
            self.pending.append((number, village, {}))
        payload = {
            "number": number,
            "seq": seq,
            "type": type_,
            "at": now.isoformat(),
            "site": village,
            "actor": "窗口人员",
            "data": {},
            "case": self._case(number, village, now, status),
        }
        data = envelope_dict(
            origin=village,
            dest="county",
            type="case.event",
            aggregate=number,
            seq=seq,
            prev=seq - 1,
            payload=payload,
        )
        body = _signed_as(data, village, self.root)
        self.producer.publish(
            body,
            exchange=self.exchange,
            routing_key=routing_key(
                dest="county", type="case.event", aggregate=number, origin=village
            ),
            serializer=None,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
        )
        self.sent[data["id"]] = time.time()


def topology_county(conn) -> None:
    """The exchange, the dead-letter pair and the county's queue only. A node declares a
    quorum queue for every hall of the tree (sync.transport.topology_declare): 327 of them
    made the shared broker stop accepting connections (out of file descriptors at its
    default soft limit of 1024), so the bench's processes run with HALL_SYNC_DECLARE=false,
    as halls with their own broker accounts do (ADR 0012), and this declares what the
    county's consumer reads."""
    from sync.transport import dead_queue, exchange, site_queue

    channel = conn.default_channel
    exchange()(channel).declare()
    dead_queue(amqp=True)(channel).declare()
    site_queue("county", amqp=True, declare=True)(channel).declare()


def _signed_as(data: dict, site: str, root: str) -> str:
    """Signed as `site` with the bench's keys (tests.support.inject signs with the test run's)."""
    from sync.envelope import canonical
    from tests.support.keys import signer

    own = signer(site, root)
    sig = f"ed25519:{own.kid}:{own.private.sign(canonical(data)).hex()}"
    return json.dumps({**data, "sig": sig})


def delays_ms(sent: dict[str, float]) -> tuple[list[float], int]:
    """Each sent message's delay to its apply at the county (the inbox row's stamp, taken in
    the consumer's batch transaction), in ms; and how many are not applied (yet)."""
    from sync.models import InboxMessage

    ids = list(sent)
    applied = {}
    for i in range(0, len(ids), 5000):
        applied.update(
            (str(m), at.timestamp())
            for m, at in InboxMessage.objects.filter(msg_id__in=ids[i : i + 5000]).values_list(
                "msg_id", "applied_at"
            )
        )
    delays = [(applied[m] - t) * 1000 for m, t in sent.items() if m in applied]
    return delays, len(sent) - len(delays)

"""Rolling the county's figures up as case events apply (no scan of the facts per request).

A case adds to a few daily rows: 收件 at the hall that filed it, on that day; 受理 at the
hall that decides it (a forwarded case counts once: received at the village, accepted and
concluded at the township), on the day it was accepted, with `settled` once it is concluded
(办结率 = settled / accepted ≤ 100%); 办结 and what follows (日结, 按时, days used, speed-up)
at the hall that decided it, on the day it concluded; 超时 at the hall that held it, on its
deadline day. `case_share` says what a record adds now; `share_apply` moves the rows by
the difference from what it added before (so a replayed or late event changes nothing
twice) into day and month rows alike.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from county.catalogue.models import Item
from county.readmodel.models import CaseFact, CaseRecord
from county.supervision.models import COUNTERS, Grain, StatRow, StatShare
from county.workdays.clock import WorkCalendar
from county.workdays.selectors import calendar_current
from sites.feedback.models import Rating

Key = tuple[str, str, str, str]  # day (ISO), site, department, item


_DEPARTMENTS: dict[str, str] = {}  # an item's department, remembered per process


def department_of(item_code: str) -> str:
    found = _DEPARTMENTS.get(item_code)
    if found is None:
        query = Item.objects.filter(code=item_code).values_list("department__code", flat=True)
        found = query.first() or ""
        if found:
            _DEPARTMENTS[item_code] = found
    return found


def case_share(record, *, calendar: WorkCalendar, department: str) -> dict[Key, dict]:
    """What one CaseRecord adds to the daily rows."""
    out: dict[Key, dict] = defaultdict(lambda: defaultdict(float))
    item = record.item_code
    submitted = timezone.localdate(record.submitted_at)
    out[(submitted.isoformat(), record.origin_site, department, item)]["received"] += 1
    deciding = record.decided_site or record.owner_site
    if record.accepted_at:
        accepted = timezone.localdate(record.accepted_at)
        row = out[(accepted.isoformat(), deciding, department, item)]
        row["accepted"] += 1
        row["settled"] += 1 if record.status == "concluded" and record.concluded_at else 0
        row["accept_days"] += max(calendar.working_days_between(submitted, accepted).days, 0)
    if record.status == "concluded" and record.concluded_at:
        concluded = timezone.localdate(record.concluded_at)
        row = out[(concluded.isoformat(), deciding, department, item)]
        row["concluded"] += 1
        row["same_day"] += 1 if record.same_day else 0
        row["on_time"] += 0 if record.was_overdue else 1
        row["handle_days"] += max(record.days_used, 0)
        legal = record.legal_limit_days
        if legal:
            row["limit_cases"] += 1
            row["promised_speedup"] += (legal - record.promised_limit_days) / legal
            row["actual_speedup"] += (legal - record.days_used) / legal
    if record.was_overdue:
        when = record.deadline or submitted
        site = (
            (record.decided_site or record.owner_site) if record.concluded_at else record.owner_site
        )
        out[(when.isoformat(), site, department, item)]["overdue"] += 1
    return {k: {c: v for c, v in counts.items() if v} for k, counts in out.items()}


def _as_map(rows: list) -> dict[Key, dict]:
    return {tuple(r[:4]): r[4] for r in rows}


def _as_rows(share: dict[Key, dict]) -> list:
    return [[*key, counts] for key, counts in sorted(share.items())]


def _difference(old: dict[Key, dict], new: dict[Key, dict]) -> dict[Key, dict]:
    delta: dict[Key, dict] = {}
    for key in old.keys() | new.keys():
        before, after = old.get(key, {}), new.get(key, {})
        moved = {c: after.get(c, 0) - before.get(c, 0) for c in before.keys() | after.keys()}
        moved = {c: v for c, v in moved.items() if v}
        if moved:
            delta[key] = moved
    return delta


def _month(day: str) -> date:
    d = date.fromisoformat(day)
    return d.replace(day=1)


def _grains(day: str, dept: str, item: str):
    """The rows one day's counts go to: day, month, and the hall's month (no dept or item)."""
    month = _month(day)
    yield Grain.DAY, date.fromisoformat(day), dept, item
    yield Grain.MONTH, month, dept, item
    yield Grain.HALL_MONTH, month, "", ""


def rows_add(delta: dict[Key, dict]) -> None:
    """Add `delta` to the day, month and hall-month rows (inside the caller's transaction):
    one INSERT … ON CONFLICT DO UPDATE adding to what is there (PostgreSQL and SQLite)."""
    merged: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    for (day, site, dept, item), counts in delta.items():
        for grain, when, dept_key, item_key in _grains(day, dept, item):
            row = merged[(grain, when, site, dept_key, item_key)]
            for c, v in counts.items():
                row[c] += v
    if not merged:
        return
    table = StatRow._meta.db_table
    keys = ["grain", "day", "site_code", "department_code", "item_code"]
    columns = ", ".join([*keys, *COUNTERS])
    one = "(" + ", ".join(["%s"] * (len(keys) + len(COUNTERS))) + ")"
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(merged))} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    )
    params = []
    for (grain, when, site, dept, item), counts in merged.items():
        params.extend(_values(grain, when, site, dept, item, counts))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic(savepoint=False)  # runs inside the read model's transaction
def record_rollup(*, record) -> None:
    """The record changed: move the rows by what it adds now minus what it added before."""
    new = case_share(
        record, calendar=calendar_current(), department=department_of(record.item_code)
    )
    held = StatShare.objects.select_for_update().filter(number=record.number).first()
    old = _as_map(held.share) if held else {}
    delta = _difference(old, new)
    if not delta:
        return
    rows_add(delta)
    if held is None:
        StatShare.objects.create(number=record.number, share=_as_rows(new))
    else:
        held.share = _as_rows(new)
        held.save(update_fields=["share"])


def _deemed_key(fact) -> Key:
    """逾期默认同意 counts against the part's window: its hall and department (the event
    carries the part, sites.joint `part_event_data`), on the day it was deemed."""
    data = fact.payload.get("data") or {}
    part = data.get("part") if isinstance(data.get("part"), dict) else {}
    department = str(part.get("department") or "")[:40]
    site = str(part.get("site") or fact.site_code)[:40]
    item = fact.payload.get("case", {}).get("item_code", "")
    return (timezone.localdate(fact.at).isoformat(), site, department, item)


def deemed_rollup(*, fact) -> None:
    rows_add({_deemed_key(fact): {"deemed": 1}})


def _fact_key(fact) -> Key:
    item = fact.payload.get("case", {}).get("item_code", "")
    day = timezone.localdate(fact.at).isoformat()
    return (day, fact.site_code, department_of(item), item)


def supplement_share(fact) -> dict[Key, dict]:
    """补办件 (seed 001 第十条(五)): a notice counts where and when it was issued; the
    applicant's return with complete materials counts on the same notice's row (so the
    补齐率 cannot exceed 100%). 容缺 materials handed in later are no 补办件."""
    if fact.type == "supplement_requested":
        return {_fact_key(fact): {"supplements": 1}}
    data = fact.payload.get("data") or {}
    if fact.type != "supplement_completed" or "deferred_supplied" in data:
        return {}
    notice = (
        CaseFact.objects.filter(number=fact.number, type="supplement_requested", seq__lt=fact.seq)
        .order_by("-seq")
        .first()
    )
    return {_fact_key(notice): {"supplements_returned": 1}} if notice else {}


SUPPLEMENT_FACTS = ("supplement_requested", "supplement_completed")
BAD_LEVELS = ("dissatisfied", "very_dissatisfied")


def rating_share(*, case_number: str, level: str) -> dict[Key, dict]:
    """A rating of a concluded case counts on the case's conclusion row (评价率 and 满意度
    stay within 100%); a rating of a queue number (no case) is no case figure."""
    record = CaseRecord.objects.filter(number=case_number, concluded_at__isnull=False).first()
    if record is None:
        return {}
    item = record.item_code
    day = timezone.localdate(record.concluded_at).isoformat()
    key = (day, record.decided_site or record.owner_site, department_of(item), item)
    return {key: {"rated": 1, "satisfied": 0 if level in BAD_LEVELS else 1}}


def rating_rollup(*, case_number: str, level: str) -> None:
    rows_add(rating_share(case_number=case_number, level=level))


def supplement_rollup(*, fact) -> None:
    rows_add(supplement_share(fact))


@transaction.atomic
def stats_rebuild(*, batch: int = 5000) -> int:
    """Fold every record and every deemed-consent fact again (after a read-model rebuild, or
    to seed a benchmark); returns the number of cases."""
    StatRow.objects.all().delete()
    StatShare.objects.all().delete()
    calendar = calendar_current()
    departments = dict(Item.objects.values_list("code", "department__code"))
    totals: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    shares = []
    count = 0
    for record in CaseRecord.objects.order_by("pk").iterator(chunk_size=batch):
        share = case_share(
            record, calendar=calendar, department=departments.get(record.item_code, "")
        )
        shares.append((record.number, _as_rows(share)))
        for key, counts in share.items():
            for c, v in counts.items():
                totals[key][c] += v
        count += 1
        if len(shares) >= batch:
            _shares_write(shares)
            shares = []
    _shares_write(shares)
    for fact in CaseFact.objects.filter(type="deemed_consent").iterator(chunk_size=batch):
        totals[_deemed_key(fact)]["deemed"] += 1
    for number, level in Rating.objects.values_list("case_number", "level").iterator():
        for key, counts in rating_share(case_number=number, level=level).items():
            for c, v in counts.items():
                totals[key][c] += v
    for fact in CaseFact.objects.filter(type__in=SUPPLEMENT_FACTS).iterator(chunk_size=batch):
        for key, counts in supplement_share(fact).items():
            for c, v in counts.items():
                totals[key][c] += v
    rows_bulk(totals)
    return count


def rows_bulk(totals: dict[tuple, dict], *, batch: int = 5000) -> None:
    """Write day and month rows from daily totals in bulk (into empty tables)."""
    wider: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    rows = []
    for (day, site, dept, item), counts in totals.items():
        for grain, when, dept_key, item_key in _grains(day, dept, item):
            if grain == Grain.DAY:
                rows.append(_values(grain, when, site, dept, item, counts))
                continue
            row = wider[(grain, when, site, dept_key, item_key)]
            for c, v in counts.items():
                row[c] += v
    for (grain, when, site, dept, item), counts in wider.items():
        rows.append(_values(grain, when, site, dept, item, counts))
    columns = ["grain", "day", "site_code", "department_code", "item_code", *COUNTERS]
    if connection.vendor == "postgresql":  # COPY: the ORM's insert costs more than the data
        _copy(StatRow._meta.db_table, columns, rows)
    else:
        StatRow.objects.bulk_create(
            [StatRow(**dict(zip(columns, r, strict=True))) for r in rows], batch_size=batch
        )


def _values(grain, day, site, dept, item, counts) -> list:
    floats = ("promised_speedup", "actual_speedup")
    return [
        grain,
        day,
        site,
        dept,
        item,
        *(counts.get(c, 0) if c in floats else round(counts.get(c, 0)) for c in COUNTERS),
    ]


def _shares_write(shares: list[tuple[str, list]]) -> None:
    if connection.vendor == "postgresql":
        _copy(
            StatShare._meta.db_table,
            ["number", "share"],
            ([number, json.dumps(share)] for number, share in shares),
        )
    else:
        StatShare.objects.bulk_create([StatShare(number=n, share=s) for n, s in shares])


def _copy(table: str, columns: list[str], rows) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)

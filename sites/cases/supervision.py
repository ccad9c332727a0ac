"""E-supervision (电子监察): the periodic clock tick over every open case this hall owns.

Deadlines live in the database and are polled (no broker ETA tasks): the tick recomputes
each open case's clock from its ledger with the county calendar, stores what changed in
bulk, and records an `overdue` event for each case that has just run out of time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from county.workdays.clock import clock_read
from county.workdays.selectors import calendar_current
from sites.cases import actions, lifecycle
from sites.cases.clocks import clock_apply, clock_rule_warning_days, ledger_args
from sites.cases.models import Case, ClockEntry, ClockState, EventType
from sites.registry.selectors import site_current

CLOCK_FIELDS = ["deadline", "deadline_provisional", "clock_state", "days_used", "days_left"]
RUNNING = actions.RUNNING


def case_clocks_refresh(*, today: date | None = None, chunk: int = 5000) -> dict:
    """Recompute every running clock; returns counts {checked, changed, overdue}."""
    today = today or timezone.localdate()
    calendar = calendar_current()
    warning = clock_rule_warning_days()
    here = site_current()
    checked = changed = 0
    newly_overdue: list[int] = []
    base = Case.objects.filter(owner_site=here, status__in=RUNNING).only("pk", *CLOCK_FIELDS)
    last = 0
    while True:
        cases = list(base.filter(pk__gt=last).order_by("pk")[:chunk])
        if not cases:
            break
        last = cases[-1].pk
        ledgers = defaultdict(list)
        rows = ClockEntry.objects.filter(case_id__in=[c.pk for c in cases]).order_by("start", "id")
        for case_id, kind, days, start, end in rows.values_list(
            "case_id", "kind", "days", "start", "end"
        ):
            ledgers[case_id].append(SimpleNamespace(kind=kind, days=days, start=start, end=end))
        dirty = []
        for case in cases:
            was = case.clock_state
            reading = clock_read(
                calendar, **ledger_args(ledgers[case.pk]), today=today, warning_days=warning
            )
            if clock_apply(case, reading):
                dirty.append(case)
                if reading.state == ClockState.OVERDUE and was != ClockState.OVERDUE:
                    newly_overdue.append(case.pk)
        _store(dirty)
        checked += len(cases)
        changed += len(dirty)
    _overdue_record(newly_overdue, here=here)
    return {"checked": checked, "changed": changed, "overdue": len(newly_overdue)}


def _store(dirty: list[Case]) -> None:
    """Write changed clocks: cases with the same new clock share one UPDATE.

    Deadlines repeat (same acceptance day, same budget), so this is far fewer statements
    than a row-by-row bulk_update, and each is a plain indexed `pk IN (...)`.
    """
    groups: dict[tuple, list[int]] = defaultdict(list)
    for case in dirty:
        groups[tuple(getattr(case, f) for f in CLOCK_FIELDS)].append(case.pk)
    for values, pks in groups.items():
        for start in range(0, len(pks), 900):  # below SQLite's variable limit
            Case.objects.filter(pk__in=pks[start : start + 900]).update(
                **dict(zip(CLOCK_FIELDS, values, strict=True))
            )


def _overdue_record(ids: list[int], *, here, batch: int = 200) -> None:
    """One `overdue` event per newly overdue case (fans in to the county like any event)."""
    now = timezone.now()
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            for case in Case.objects.select_for_update().filter(pk__in=ids[start : start + batch]):
                if case.owner_site_id != here.id or case.status not in RUNNING:
                    continue  # moved or closed since the scan
                data = {"deadline": case.deadline.isoformat() if case.deadline else None}
                lifecycle.event_record(
                    case, type=EventType.OVERDUE, by=None, here=here, at=now, data=data
                )

"""Yellow and red lights (预警 / 超时), fired once per case, rule and step.

The tick polls (no broker ETA): at the county over its read model of every hall's cases and
joint parts; at a hall over the cases it holds, their 容缺 due dates, open supplements and
the parts it leads. Thresholds are county rules per item or department (county.rules),
released to every hall. A light names who must act: the hall holding the case and the
department whose window handles it. A unique row per (case, level, step) means a light that
came on never fires again, however often the tick runs.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from county.catalogue.models import Item
from county.readmodel.models import CaseRecord
from county.rules.models import COUNTY_SCOPE
from county.rules.selectors import rule_values
from county.supervision.models import Alert, AlertLevel, AlertStep
from county.supervision.rules import THRESHOLDS, WATCH
from county.workdays.clock import WorkCalendar
from county.workdays.selectors import calendar_current
from sites.cases.models import Case, ClockEntry
from sites.joint.models import Part, PartRecord
from sites.registry.selectors import site_current
from sites.registry.tier import here


class Rules:
    """Every scope of a rule read once; per item: item, then department, then county."""

    def __init__(self, key: str, departments: dict[str, str]) -> None:
        self.values = rule_values(key)
        self.departments = departments
        self._memo: dict[str, dict] = {}

    def for_item(self, item_code: str) -> dict:
        found = self._memo.get(item_code)
        if found is None:
            dept = self.departments.get(item_code, "")
            for scope in (f"item:{item_code}", f"department:{dept}", COUNTY_SCOPE):
                if scope in self.values:
                    found = self.values[scope]
                    break
            self._memo[item_code] = found
        return found

    def yellow_before(self, lights: Lights) -> date:
        """The first deadline no item's rule can light yet: a set-based cut-off, the exact
        per-item test follows in Python on what is left."""
        widest = 0
        for value in self.values.values():
            widest = max(widest, value.get("warning_days", 0))
            if value.get("warning_share"):
                return date.max  # a share of each case's limit: no common cut-off
        return lights.calendar.add_working_days(lights.today, widest + 1).date


class Lights:
    """Decides the light of a deadline on a day, counting working days once per deadline."""

    def __init__(self, calendar: WorkCalendar, today: date) -> None:
        self.calendar, self.today = calendar, today
        self._left: dict[date, int] = {}

    def left(self, deadline: date) -> int:
        n = self._left.get(deadline)
        if n is None:
            n = self._left[deadline] = self.calendar.working_days_between(self.today, deadline).days
        return n

    def level(self, deadline: date, *, warn_days: int, red_after: int = 0, used_share=None):
        left = self.left(deadline)
        if left < -red_after:
            return AlertLevel.OVERDUE
        if left < 0:
            return AlertLevel.WARNING  # past the deadline, within the grace before red
        if left <= warn_days or used_share:
            return AlertLevel.WARNING
        return None


def _unlit(qs):
    """Cases whose red light is not on yet (a red case has both lights: nothing left to fire).
    With the deadline cut-off this keeps the steady tick to the few cases that can change."""
    red = Alert.objects.filter(
        number=OuterRef("number"), level=AlertLevel.OVERDUE, step=AlertStep.CASE, step_key=""
    )
    return qs.exclude(Exists(red))


ALERT_COLUMNS = [
    "number",
    "level",
    "step",
    "step_key",
    "site_code",
    "department_code",
    "item_code",
    "item_name",
    "deadline",
    "fired_at",
]


def _fire(rows: list[dict], *, now) -> int:
    """Insert the lights; an existing (case, level, step) is left alone (the unique row).
    One prepared INSERT … ON CONFLICT DO NOTHING run for many rows (psycopg pipelines it):
    a first tick may light tens of thousands."""
    if not rows:
        return 0
    before = Alert.objects.count()
    table = Alert._meta.db_table
    sql = (
        f"INSERT INTO {table} ({', '.join(ALERT_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(ALERT_COLUMNS))}) ON CONFLICT DO NOTHING"
    )
    params = [(*(r[c] for c in ALERT_COLUMNS[:-1]), now) for r in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(params) > 1000:
            # COPY into a scratch table, then one INSERT … SELECT: far less work per row
            columns = ", ".join(ALERT_COLUMNS)
            cursor.execute(
                f"CREATE TEMP TABLE lights_new ON COMMIT DROP AS "
                f"SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY lights_new ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM lights_new "
                "ON CONFLICT DO NOTHING"
            )
        else:
            cursor.executemany(sql, params)
        fired = Alert.objects.count() - before
        if connection.vendor == "postgresql" and fired >= 1000:
            # many new rows: the next tick's anti-join is planned on fresh statistics
            cursor.execute(f"ANALYZE {table}")
    return fired


def _row(number, level, step, key, site, dept, item, name, deadline) -> dict:
    return {
        "number": number,
        "level": level,
        "step": step,
        "step_key": key,
        "site_code": site,
        "department_code": dept,
        "item_code": item,
        "item_name": name,
        "deadline": deadline,
    }


def _case_rows(cases, *, lights: Lights, rules: Rules, departments) -> list[dict]:
    """cases: (number, owner site, item code, item name, deadline, promised, days used)."""
    rows = []
    for number, site, item, name, deadline, promised, used in cases:
        rule = rules.for_item(item)
        share = rule["warning_share"]
        left = lights.left(deadline)
        used_now = promised - left if promised else used
        over_share = bool(share and promised and used_now >= share * promised)
        level = lights.level(
            deadline,
            warn_days=rule["warning_days"],
            red_after=rule["red_after_days"],
            used_share=over_share,
        )
        if level is None:
            continue
        dept = departments.get(item, "")
        if level == AlertLevel.OVERDUE:  # red implies the yellow came first
            rows.append(
                _row(
                    number, AlertLevel.WARNING, AlertStep.CASE, "", site, dept, item, name, deadline
                )
            )
        rows.append(_row(number, level, AlertStep.CASE, "", site, dept, item, name, deadline))
    return rows


def _part_rows(parts, *, lights: Lights, watch: Rules) -> list[dict]:
    """parts: (key, case number, hall, department, item code, item name, deadline)."""
    rows = []
    for key, number, site, dept, item, name, deadline in parts:
        level = lights.level(deadline, warn_days=watch.for_item(item)["part_warning_days"])
        if level is not None:
            rows.append(_row(number, level, AlertStep.PART, key, site, dept, item, name, deadline))
    return rows


def alerts_tick(*, today: date | None = None) -> dict:
    """Fire what is new: at the county over every hall's cases, at a hall over its own."""
    now = timezone.now()
    today = today or timezone.localdate()
    departments = dict(Item.objects.values_list("code", "department__code"))
    lights = Lights(calendar_current(), today)
    rules = Rules(THRESHOLDS.key, departments)
    watch = Rules(WATCH.key, departments)
    if here().keeps_read_model:
        rows = _county_rows(lights=lights, rules=rules, watch=watch, departments=departments)
    else:
        rows = _hall_rows(lights=lights, rules=rules, watch=watch, departments=departments)
    return {"candidates": len(rows), "fired": _fire(rows, now=now)}


def _county_rows(*, lights, rules, watch, departments) -> list[dict]:
    cases = _unlit(
        CaseRecord.objects.filter(status="accepted", deadline__lt=rules.yellow_before(lights))
    ).values_list(
        "number",
        "owner_site",
        "item_code",
        "item_name",
        "deadline",
        "promised_limit_days",
        "days_used",
    )
    # Read whole, not through a server-side cursor (.iterator()): PostgreSQL plans a cursor
    # for its first rows, and with the lights just fired not yet in the statistics it chose
    # a nested loop probing every alert per case: the tick after a first one took 17-21 s
    # over 100k open cases instead of 0.1 s. The rows are small tuples (about 10 MB at 100k).
    rows = _case_rows(cases, lights=lights, rules=rules, departments=departments)
    open_parts = PartRecord.objects.filter(state="open")
    cases_of_parts = {
        number: (item, name)
        for number, item, name in CaseRecord.objects.filter(
            number__in=open_parts.values("case_number")
        ).values_list("number", "item_code", "item_name")
    }
    part_rows = [
        (key, number, site, dept, *cases_of_parts.get(number, ("", "")), deadline)
        for key, number, site, dept, deadline in open_parts.values_list(
            "key", "case_number", "site", "department", "deadline"
        )
    ]
    return rows + _part_rows(part_rows, lights=lights, watch=watch)


def _hall_rows(*, lights, rules, watch, departments) -> list[dict]:
    here = site_current()
    mine = Case.objects.filter(owner_site=here)
    cases = _unlit(
        mine.filter(status="accepted", deadline__lt=rules.yellow_before(lights))
    ).values_list(
        "number",
        "owner_site__code",
        "item_version__item__code",
        "item_version__name",
        "deadline",
        "item_version__promised_limit_days",
        "days_used",
    )
    rows = _case_rows(cases, lights=lights, rules=rules, departments=departments)
    # 容缺: materials accepted now, due later
    for number, item, name, deferred in (
        mine.filter(status__in=("accepted", "suspended", "submitted"))
        .exclude(materials_deferred=[])
        .values_list(
            "number", "item_version__item__code", "item_version__name", "materials_deferred"
        )
    ):
        warn = watch.for_item(item)["deferred_warning_days"]
        dept = departments.get(item, "")
        for material in deferred or []:
            due = date.fromisoformat(material["due"])
            level = lights.level(due, warn_days=warn)
            if level is not None:
                rows.append(
                    _row(
                        number,
                        level,
                        AlertStep.DEFERRED,
                        material["name"][:110],
                        here.code,
                        dept,
                        item,
                        name,
                        due,
                    )
                )
    # 补正: a supplement notice still open after the watch period
    for number, item, name, start in ClockEntry.objects.filter(
        case__owner_site=here, case__status="suspended", kind="suspension", end__isnull=True
    ).values_list(
        "case__number", "case__item_version__item__code", "case__item_version__name", "start"
    ):
        days = watch.for_item(item)["supplement_warning_days"]
        waited = lights.calendar.working_days_between(start, lights.today).days
        if waited >= days:
            rows.append(
                _row(
                    number,
                    AlertLevel.WARNING,
                    AlertStep.SUPPLEMENT,
                    start.isoformat(),
                    here.code,
                    departments.get(item, ""),
                    item,
                    name,
                    None,
                )
            )
    parts = Part.objects.filter(case__owner_site=here, state="open").values_list(
        "key", "case_number", "site__code", "department__code", "item_code", "item_name", "deadline"
    )
    return rows + _part_rows(parts, lights=lights, watch=watch)

"""Writes of the assessment: the point ledger, inspections, published awards.

Other features give points through `points_record` after registering their source type once
(`points_source_register`), e.g. 督办 (issue 14):

    points_source_register("supervision_order", label="督办单")
    points_record(window=w, rule="supervision_unanswered", source_type="supervision_order",
                  source_id=str(order.pk), occurred_on=day)
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from county.assessment.models import (
    AssessedStaff,
    AssessedWindow,
    Award,
    AwardKind,
    Inspection,
    PointEntry,
)
from county.assessment.rules import POINTS
from county.rules.models import COUNTY_SCOPE, Rule
from county.rules.selectors import rule_value
from sites.registry.models import Staff, Window

_SOURCES: dict[str, str] = {}


def points_source_register(source_type: str, *, label: str) -> str:
    """Declare where points may come from (a Chinese label for the ledger page)."""
    if not source_type or len(source_type) > 30:
        raise ValueError("source_type must be 1..30 characters")
    _SOURCES[source_type] = label
    return source_type


def points_source_label(source_type: str) -> str:
    return _SOURCES.get(source_type, source_type)


for _code, _label in {
    "rating": "好差评",
    "complaint": "投诉",
    "complaint_overdue": "投诉逾期",
    "inspection": "日检查",
    "case_event": "办件事件",
    "county_entry": "县中心登记",
    "award": "评比",
    "reversal": "撤销(申诉复核)",
}.items():
    points_source_register(_code, label=_label)

# Inspection findings the hall office picks from (fields of the points rule).
INSPECTION_FINDINGS = ("unattended", "untidy", "late_or_absent", "misconduct")
# What the county registers by hand, with evidence (additions and the hall-entry deductions).
COUNTY_ENTRIES = (
    "item_not_in_hall",
    "promised_to_instant",
    "limit_compressed",
    "written_thanks",
    "not_collected_at_window",  # seed 000 第十三条(四)
    "joint_cooperation",  # 第十八条(三)
    "media_praise",  # 第十八条(五), 第二十四条(三)
    "special_handling",  # 第二十四条(一)
    "intermediary",  # 第二十一条(四)
    "drinking",  # 第二十条(二)
)


def window_ref(
    *,
    site_code: str,
    number: str,
    name: str = "",
    site_name: str = "",
    department_code: str = "",
    department_name: str = "",
) -> AssessedWindow:
    """The county's record of a hall's window, created or refreshed with the names heard."""
    window, created = AssessedWindow.objects.get_or_create(
        site_code=site_code,
        number=number,
        defaults={
            "name": name,
            "site_name": site_name,
            "department_code": department_code,
            "department_name": department_name,
        },
    )
    fresh = {
        "name": name,
        "site_name": site_name,
        "department_code": department_code,
        "department_name": department_name,
    }
    changed = {k: v for k, v in fresh.items() if v and getattr(window, k) != v}
    if not created and changed:
        for k, v in changed.items():
            setattr(window, k, v)
        window.save(update_fields=list(changed))
    return window


def staff_ref(
    *, site_code: str, username: str, name: str = "", window: AssessedWindow | None = None
) -> AssessedStaff:
    staff, created = AssessedStaff.objects.get_or_create(
        site_code=site_code,
        username=username,
        defaults={"name": name or username, "window": window},
    )
    if not created and ((name and staff.name != name) or (window and staff.window != window)):
        staff.name = name or staff.name
        staff.window = window or staff.window
        staff.save(update_fields=["name", "window"])
    return staff


def windows_sync_local() -> int:
    """The county hall's own windows and staff (sites.registry) into the assessed lists."""
    count = 0
    for w in Window.objects.select_related("site", "department"):
        ref = window_ref(
            site_code=w.site.code,
            number=w.number,
            name=w.name,
            site_name=w.site.name,
            department_code=w.department.code,
            department_name=w.department.name,
        )
        count += 1
        for s in Staff.objects.filter(window=w).select_related("user"):
            staff_ref(site_code=w.site.code, username=s.user.username, name=s.name, window=ref)
    return count


def points_value(*, window: AssessedWindow, rule: str) -> tuple[int, int]:
    """(points, revision) of `rule` in force for this window: a scope for its site or its
    department overrides the county-wide value (decision 0013)."""
    if rule not in POINTS.default:
        raise ValueError(f"unknown points rule {rule!r}")
    scopes = (f"site:{window.site_code}", f"department:{window.department_code}")
    value = rule_value(POINTS.key, scopes=scopes)[rule]
    row = (
        Rule.objects.filter(key=POINTS.key, scope__in=[*scopes, COUNTY_SCOPE])
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return int(value), row or 0


def points_record(
    *,
    window: AssessedWindow,
    rule: str,
    source_type: str,
    source_id: str,
    occurred_on: date,
    staff: AssessedStaff | None = None,
    points: int | None = None,
    note: str = "",
    by: str = "",
) -> PointEntry:
    """Record the rule's points (or `points` given) once for this source; a repeat returns
    the entry already recorded."""
    if source_type not in _SOURCES:
        raise ValueError(f"unregistered points source {source_type!r}")
    found = PointEntry.objects.filter(
        source_type=source_type, source_id=source_id, rule=rule, window=window
    ).first()
    if found:
        return found
    value, revision = points_value(window=window, rule=rule)
    try:
        with transaction.atomic():
            return PointEntry.objects.create(
                window=window,
                staff=staff,
                rule=rule,
                rule_revision=revision,
                points=value if points is None else points,
                occurred_on=occurred_on,
                source_type=source_type,
                source_id=str(source_id)[:100],
                note=note[:200],
                recorded_at=timezone.now(),
                recorded_by=by,
            )
    except IntegrityError:  # a concurrent delivery of the same event won
        return PointEntry.objects.get(
            source_type=source_type, source_id=source_id, rule=rule, window=window
        )


def points_reverse(*, entry: PointEntry, reason: str, by: str = "", on: date | None = None):
    """Cancel an entry (an appeal upheld, a complaint found mistaken): an opposite entry,
    dated like the original so the period it counted in is corrected."""
    if entry.reversed_by_id:
        return entry.reversed_by
    if entry.source_type == "reversal":
        raise ValidationError("撤销记录不能再撤销")
    with transaction.atomic():
        back = PointEntry.objects.create(
            window=entry.window,
            staff=entry.staff,
            rule=entry.rule,
            rule_revision=entry.rule_revision,
            points=-entry.points,
            occurred_on=on or entry.occurred_on,
            source_type="reversal",
            source_id=str(entry.pk),
            note=reason[:200],
            recorded_at=timezone.now(),
            recorded_by=by,
        )
        entry.reversed_by = back
        entry.save(update_fields=["reversed_by"])
    return back


def points_reverse_source(*, source_type: str, source_id: str, reason: str, by: str = "") -> int:
    """Reverse every live entry of one source event; the count reversed."""
    entries = PointEntry.objects.filter(
        source_type=source_type, source_id=str(source_id), reversed_by__isnull=True
    )
    n = 0
    for entry in entries:
        points_reverse(entry=entry, reason=reason, by=by)
        n += 1
    return n


def inspection_record(
    *,
    window: AssessedWindow,
    finding: str,
    inspector: str,
    staff: AssessedStaff | None = None,
    at=None,
    note: str = "",
) -> Inspection:
    """日检查: one finding, and its points in the ledger (source: this inspection)."""
    if finding not in INSPECTION_FINDINGS:
        raise ValidationError("未知的检查项")
    at = at or timezone.now()
    with transaction.atomic():
        row = Inspection.objects.create(
            window=window,
            staff=staff,
            inspected_at=at,
            finding=finding,
            note=note[:200],
            inspector=inspector,
        )
        points_record(
            window=window,
            staff=staff,
            rule=finding,
            source_type="inspection",
            source_id=str(row.pk),
            occurred_on=timezone.localdate(at),
            note=note,
            by=inspector,
        )
    return row


def county_entry_record(
    *,
    window: AssessedWindow,
    rule: str,
    evidence: str,
    by: str,
    on: date,
    staff: AssessedStaff | None = None,
) -> PointEntry:
    """A deduction or addition the county registers with its evidence (a document number,
    the letter of thanks); the evidence is the source id, so one document counts once."""
    if rule not in COUNTY_ENTRIES:
        raise ValidationError("该计分项不能手工登记")
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError("请填写依据(文号或材料名称)")
    return points_record(
        window=window,
        staff=staff,
        rule=rule,
        source_type="county_entry",
        source_id=evidence,
        occurred_on=on,
        note=evidence,
        by=by,
    )


def awards_publish(*, rows: list, kind: str, period: str, by: str = "", on: date) -> list[Award]:
    """Store what selectors computed (Standing rows with `.award` or `.grade`); a red flag
    adds the seed's bonus to each of the window's staff (seed 000 第二十四条(四))."""
    now = timezone.now()
    out = []
    with transaction.atomic():
        for row in rows:
            window = row.subject if isinstance(row.subject, AssessedWindow) else None
            staff = row.subject if isinstance(row.subject, AssessedStaff) else None
            award, _ = Award.objects.update_or_create(
                kind=kind,
                period=period,
                window=window,
                staff=staff,
                defaults={
                    "grade": getattr(row, "grade", ""),
                    "rank": row.rank,
                    "score": row.score,
                    "published_at": now,
                    "published_by": by,
                },
            )
            out.append(award)
            if kind == AwardKind.RED_FLAG and window is not None:
                for person in window.staff.all():
                    points_record(
                        window=window,
                        staff=person,
                        rule="red_flag_staff_bonus",
                        source_type="award",
                        source_id=f"{award.pk}:{person.pk}",
                        occurred_on=on,
                        note=f"{period} 流动红旗",
                        by=by,
                    )
    return out

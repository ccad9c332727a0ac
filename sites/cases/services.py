"""Writes to cases: the lifecycle at one hall (forwarding is in transfer.py).

Every service validates first (a ValidationError naming the field, in Chinese), then
writes the case, its ledger and one event in a single transaction, and sends the signals
and messages inside it: nothing is half-written.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.catalogue.models import Delegation, HandlingType
from county.catalogue.selectors import delegation_active, item_version_get
from county.workdays.selectors import add_working_days
from sites.cases import lifecycle, signals
from sites.cases.identity import id_number_problem, phone_problem
from sites.cases.models import (
    Case,
    CaseSequence,
    CaseStatus,
    ClockEntry,
    EventType,
    LedgerKind,
    Outcome,
)
from sites.cases.querycode import query_code_hash, query_code_new
from sites.cases.rules import signer_check, supplement_restarts
from sites.registry.models import Site, Tier, Window
from sites.registry.selectors import site_current

MAX_EXTENSION_DAYS = 30


# ---------------------------------------------------------------- checks (no writes)


def _names(value, field: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: "应为材料名称列表。"})
    return [v.strip() for v in value if v.strip()]


def _number_next(site: Site, at: datetime) -> str:
    day = timezone.localdate(at)
    row, _ = CaseSequence.objects.select_for_update().get_or_create(site_code=site.code, day=day)
    row.last += 1
    row.save(update_fields=["last"])
    return f"{site.code}-{day:%Y%m%d}-{row.last:04d}"


def _closed(case: Case, *, here: Site) -> None:
    """A case that ends without a decision: its kind's hooks clean up (e.g. joint parts)."""
    for hooks in lifecycle.hooks_for(case):
        hooks.closed(case=case, here=here)


# ---------------------------------------------------------------- intake


@transaction.atomic
def case_submit(
    *,
    by,
    item_code: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    materials: list[str],
    window: Window | None = None,
    at: datetime | None = None,
    as_supplement: bool = False,
    sms_refused: bool = False,
) -> Case:
    """收件: a village agent files for a villager, or a clerk at a window.

    Required materials missing: refused, or with `as_supplement` recorded as 补办件 (seed 001
    第十条(五)): the one complete list of what is missing (一次性告知) for the
    《补办件通知书》; the case waits (补正中) and is accepted once the list is complete, its
    time limit counting in full from that day."""
    at = lifecycle.when(at)
    here = site_current()
    version = item_version_get(code=(item_code or "").strip())
    if version is None:
        raise ValidationError({"item_code": f"未知事项：{item_code}。"})
    delegation = (
        delegation_active(item=version.item, site=here) if here.tier != Tier.COUNTY else None
    )
    if here.tier != Tier.COUNTY and delegation is None:
        withdrawn = Delegation.objects.filter(item=version.item, site=here).exists()
        raise ValidationError(
            {
                "item_code": "该事项的下放已收回，本站点不再受理新申请。"
                if withdrawn
                else "该事项未下放到本站点，不能在此受理。"
            }
        )
    lifecycle.catalogue_time_check(version=version, delegation=delegation, at=at, what="收件")
    name = lifecycle.text_clean(applicant_name, "applicant_name", "申请人姓名")
    id_number = (applicant_id_number or "").strip().upper()
    problem = id_number_problem(id_number, today=timezone.localdate(at))
    if problem:
        raise ValidationError({"applicant_id_number": problem})
    phone = (applicant_phone or "").strip()
    if phone_problem(phone):
        raise ValidationError({"applicant_phone": phone_problem(phone)})
    if window is not None and window.site_id != here.id:
        raise ValidationError({"window": "窗口不属于本站点。"})

    given = set(_names(materials, "materials"))
    known = {m["name"]: m for m in version.materials}
    unknown = sorted(given - set(known))
    if unknown:
        raise ValidationError({"materials": f"不是该事项的申报材料：{'、'.join(unknown)}。"})
    missing = [m for m in version.materials if m["name"] not in given]
    required = [m["name"] for m in missing if not m.get("deferrable")]
    if required and not as_supplement:
        raise ValidationError(
            {
                "materials": f"缺少必交材料(不可容缺)：{'、'.join(required)}。"
                "可登记为补办件并出具《补办件通知书》。"
            }
        )
    deferred = [
        {
            "name": m["name"],
            "due": add_working_days(timezone.localdate(at), m["defer_days"]).date.isoformat(),
        }
        for m in missing
        if m.get("deferrable")
    ]

    case = Case(
        number=_number_next(here, at),
        item_version=version,
        origin_site=here,
        owner_site=here,
        filed_by=by,
        window=window,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        materials_received=[m["name"] for m in version.materials if m["name"] in given],
        materials_deferred=deferred,
        submitted_at=at,
    )
    data = {"materials": case.materials_received, "deferred": deferred}
    if sms_refused:  # the applicant refused SMS notifications (sites/notify reads it)
        data["sms_refused"] = True
    lifecycle.event_record(case, type=EventType.SUBMITTED, by=by, here=here, at=at, data=data)
    if required:  # 补办件 at intake: the one complete list, printed on 《补办件通知书》
        case.status = CaseStatus.SUSPENDED
        case.supplement_items = required
        data = {"items": required, "restart": supplement_restarts(), "at_intake": True}
        lifecycle.event_record(
            case, type=EventType.SUPPLEMENT_REQUESTED, by=by, here=here, at=at, data=data
        )
    signals.case_created.send(sender=Case, case=case)
    return case


@transaction.atomic
def case_accept(
    *, case: Case, by, at: datetime | None = None, assignments: dict | None = None
) -> str:
    """受理: starts the clock; returns the citizen's query code (shown once, never stored).

    A joint item (联办件) accepted where it is decided opens one part per co-department
    (sites.joint); `assignments` says where each goes ({dept: {site, window, reviewer}})."""
    step = lifecycle.transition(case=case, action="accept", at=at)
    case, here, at = step.case, step.here, step.at
    if at < case.submitted_at:
        raise ValidationError({"at": "受理时间不能早于收件时间。"})
    version = case.item_version
    delegation = (
        delegation_active(item=version.item, site=here) if here.tier != Tier.COUNTY else None
    )
    if here.tier != Tier.COUNTY and delegation is None:
        raise ValidationError({"case": "该事项的下放已收回，本站点不再受理新申请。"})
    lifecycle.catalogue_time_check(version=version, delegation=delegation, at=at, what="受理")
    code = query_code_new()
    case.query_code_hash = query_code_hash(number=case.number, code=code)
    case.status = CaseStatus.ACCEPTED
    case.accepted_at = at
    old_clerk = case.clerk
    case.clerk = by
    budget = 0 if version.handling_type == HandlingType.INSTANT else version.promised_limit_days
    ClockEntry.objects.create(
        case=case, kind=LedgerKind.BUDGET, days=budget, start=timezone.localdate(at)
    )
    lifecycle.event_record(
        case, type=EventType.ACCEPTED, by=by, here=here, at=at, data={"budget_days": budget}
    )
    if old_clerk != by:
        signals.case_assigned.send(sender=Case, case=case, old_clerk=old_clerk, new_clerk=by)
    used = False
    for hooks in lifecycle.hooks_for(case):
        used = hooks.accepted(case=case, by=by, here=here, at=at, assignments=assignments) or used
    if assignments and not used:
        raise ValidationError({"assignments": "只有在牵头站点受理的联办件才分送协办部门。"})
    return code


@transaction.atomic
def case_refuse(*, case: Case, by, reasons: str, at: datetime | None = None) -> Case:
    """不予受理, with the reasons written on the refusal notice."""
    step = lifecycle.transition(case=case, action="refuse", at=at)
    case, here, at = step.case, step.here, step.at
    reasons = lifecycle.text_clean(reasons, "reasons", "不予受理的理由")
    case.status = CaseStatus.REFUSED
    case.closed_at = at
    lifecycle.event_record(
        case, type=EventType.REFUSED, by=by, here=here, at=at, data={"reasons": reasons}
    )
    return case


# ---------------------------------------------------------------- handling


@transaction.atomic
def case_supplement_request(
    *, case: Case, by, items: list[str], at: datetime | None = None
) -> Case:
    """一次性告知: the full list of what is missing; the clock stops until it is complete.

    A later request may only repeat items of the first one: the first notice must be complete.
    Whether the limit then restarts in full or continues (rule `cases.supplement`) is fixed
    now and printed on the notice.
    """
    step = lifecycle.transition(case=case, action="supplement", at=at)
    case, here, at = step.case, step.here, step.at
    wanted = list(dict.fromkeys(_names(items, "items")))
    if not wanted:
        raise ValidationError({"items": "请列出需要补正的全部材料。"})
    if case.supplement_items:
        added = [name for name in wanted if name not in case.supplement_items]
        if added:
            raise ValidationError(
                {"items": f"一次性告知：不得新增首次告知以外的补正材料：{'、'.join(added)}。"}
            )
    else:
        case.supplement_items = wanted
    case.status = CaseStatus.SUSPENDED
    ClockEntry.objects.create(case=case, kind=LedgerKind.SUSPENSION, start=timezone.localdate(at))
    data = {"items": wanted, "restart": supplement_restarts()}
    lifecycle.event_record(
        case, type=EventType.SUPPLEMENT_REQUESTED, by=by, here=here, at=at, data=data
    )
    return case


def _restarts(case: Case) -> bool:
    """The rule printed on the last notice (the rule in force when it has none)."""
    event = case.events.filter(type=EventType.SUPPLEMENT_REQUESTED).order_by("-seq").first()
    data = event.data if event else {}
    return bool(data.get("restart", supplement_restarts()))


@transaction.atomic
def case_supplement_complete(*, case: Case, by, at: datetime | None = None) -> Case:
    """补正材料齐全 (seed 001 第十条(五)): by default the full time limit counts again from
    this day (a new budget entry); with the rule switched, the clock continues with the days
    already used. A 补办件 recorded at intake goes back to 已收件 to be accepted (its clock
    starts in full at acceptance)."""
    step = lifecycle.transition(case=case, action="supplement_complete", at=at)
    case, here, at = step.case, step.here, step.at
    day = timezone.localdate(at)
    restart = _restarts(case)
    if case.accepted_at is None:
        if at < case.submitted_at:
            raise ValidationError({"at": "补正齐全日期不能早于告知日期。"})
        case.status = CaseStatus.SUBMITTED
        data = {"restart": True, "at_intake": True}
    else:
        entry = ClockEntry.objects.get(case=case, kind=LedgerKind.SUSPENSION, end__isnull=True)
        if day < entry.start:
            raise ValidationError({"at": "补正齐全日期不能早于告知日期。"})
        entry.end = day
        entry.save(update_fields=["end"])
        if restart:
            first = ClockEntry.objects.filter(case=case, kind=LedgerKind.BUDGET).order_by("id")[0]
            ClockEntry.objects.create(
                case=case,
                kind=LedgerKind.BUDGET,
                days=first.days,
                start=day,
                reason="补办件重新计时",
            )
        case.status = CaseStatus.ACCEPTED
        data = {"restart": restart}
    for name in case.supplement_items:
        if name not in case.materials_received:
            case.materials_received.append(name)
    lifecycle.event_record(
        case, type=EventType.SUPPLEMENT_COMPLETED, by=by, here=here, at=at, data=data
    )
    return case


@transaction.atomic
def case_extend(*, case: Case, by, days: int, reason: str, at: datetime | None = None) -> Case:
    """延期: more working days, always with a reason."""
    step = lifecycle.transition(case=case, action="extend", at=at)
    case, here, at = step.case, step.here, step.at
    if case.accepted_at is None:
        raise ValidationError({"status": "补办件尚未受理，不能延期。"})
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延期天数应为1至{MAX_EXTENSION_DAYS}个工作日。"})
    reason = lifecycle.text_clean(reason, "reason", "延期理由")
    ClockEntry.objects.create(
        case=case, kind=LedgerKind.EXTENSION, days=days, start=timezone.localdate(at), reason=reason
    )
    data = {"days": days, "reason": reason}
    lifecycle.event_record(case, type=EventType.EXTENDED, by=by, here=here, at=at, data=data)
    return case


@transaction.atomic
def case_decide(
    *,
    case: Case,
    by,
    outcome: str,
    opinion: str = "",
    resolution: str = "",
    at: datetime | None = None,
) -> Case:
    """办结: approve or deny; the seal time (`at`) is the legal completion time.

    A joint case is concluded by countersign (集中会签): every part has an opinion (given
    or deemed), and any disagreement needs the lead's written `resolution`."""
    step = lifecycle.transition(case=case, action="decide", at=at)
    case, here, at = step.case, step.here, step.at
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "办理结果应为“准予”或“不予准予”。"})
    if not lifecycle.may_decide(case, here):
        raise ValidationError({"case": "本站点无权对该事项作出决定，请上报上级。"})
    signer_check(case=case, here=here, by=by)
    if outcome == Outcome.APPROVED and case.materials_deferred:
        names = "、".join(m["name"] for m in case.materials_deferred)
        raise ValidationError({"outcome": f"容缺材料尚未补齐，不能准予：{names}。"})
    if at < case.accepted_at:
        raise ValidationError({"at": "办结时间不能早于受理时间。"})
    for hooks in lifecycle.hooks_for(case):
        hooks.before_decide(
            case=case, by=by, here=here, at=at, outcome=outcome, resolution=resolution
        )
    case.status = CaseStatus.CONCLUDED
    case.outcome = outcome
    case.concluded_at = case.closed_at = at
    data = {"outcome": outcome, "opinion": (opinion or "").strip()[:500]}
    lifecycle.event_record(case, type=EventType.DECIDED, by=by, here=here, at=at, data=data)
    return case


@transaction.atomic
def case_materials_supply(*, case: Case, by, names: list[str], at: datetime | None = None) -> Case:
    """容缺材料补交: deferred materials arrive (they do not stop the clock)."""
    step = lifecycle.transition(case=case, action="materials", at=at)
    case, here, at = step.case, step.here, step.at
    names = _names(names, "names")
    deferred = {m["name"] for m in case.materials_deferred}
    stray = [n for n in names if n not in deferred]
    if not names or stray:
        raise ValidationError({"names": f"不是待补交的容缺材料：{'、'.join(stray) or '(空)'}。"})
    case.materials_deferred = [m for m in case.materials_deferred if m["name"] not in names]
    case.materials_received = case.materials_received + names
    # Recorded as a supplement completion without a suspension: same meaning to a reader.
    data = {"deferred_supplied": names}
    lifecycle.event_record(
        case, type=EventType.SUPPLEMENT_COMPLETED, by=by, here=here, at=at, data=data
    )
    return case


@transaction.atomic
def case_return(
    *, case: Case, by, reason: str, policy: str = "", at: datetime | None = None
) -> Case:
    """退办: not permitted by policy; the notice explains the policy line."""
    step = lifecycle.transition(case=case, action="return", at=at)
    case, here, at = step.case, step.here, step.at
    reason = lifecycle.text_clean(reason, "reason", "退办理由")
    case.status = CaseStatus.RETURNED
    case.closed_at = at
    _closed(case, here=here)
    data = {"reason": reason, "policy": (policy or "").strip()[:500]}
    lifecycle.event_record(case, type=EventType.RETURNED, by=by, here=here, at=at, data=data)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, by, reason: str, at: datetime | None = None) -> Case:
    """撤回 at the applicant's request."""
    step = lifecycle.transition(case=case, action="withdraw", at=at)
    case, here, at = step.case, step.here, step.at
    reason = lifecycle.text_clean(reason, "reason", "撤回原因")
    case.status = CaseStatus.WITHDRAWN
    case.closed_at = at
    _closed(case, here=here)
    lifecycle.event_record(
        case, type=EventType.WITHDRAWN, by=by, here=here, at=at, data={"reason": reason}
    )
    return case


@transaction.atomic
def case_decision_prepare(
    *, case: Case, by, outcome: str, opinion: str, at: datetime | None = None
) -> Case:
    """拟办: a clerk prepares the decision and passes it to the 首席代表, who signs it with
    `case_decide` (seed 001 第十五条(五): the chief directs the window's other staff)."""
    step = lifecycle.transition(case=case, action="prepare", at=at)
    case, here, at = step.case, step.here, step.at
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "办理结果应为“准予”或“不予准予”。"})
    if not lifecycle.may_decide(case, here):
        raise ValidationError({"case": "本站点无权对该事项作出决定，请上报上级。"})
    opinion = lifecycle.text_clean(opinion, "opinion", "拟办意见")
    data = {"outcome": outcome, "opinion": opinion}
    lifecycle.event_record(
        case, type=EventType.DECISION_PREPARED, by=by, here=here, at=at, data=data
    )
    return case

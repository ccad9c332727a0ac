"""Writes for joint approvals at the lead hall: open the parts, take opinions (given here or
received from another hall), deem consent when a part's time runs out, cancel, countersign.

Every change to a part at the lead is also one case event carrying the part's snapshot:
the case timeline shows it and the county's read model learns the part from it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sites.cases import actions, lifecycle
from sites.cases.models import Case, EventType
from sites.cases.services import case_decide
from sites.joint import outbound
from sites.joint.access import part_grants_sync
from sites.joint.clock import joint_rule, part_clock_set
from sites.joint.lead import lead_department, lead_window, part_departments
from sites.joint.models import DONE_STATES, Opinion, Part, PartState, WindowDeduction
from sites.joint.snapshot import part_event_data
from sites.registry.models import Site
from sites.registry.selectors import site_current

RUNNING = actions.RUNNING
MAX_MATERIALS = 20


def part_key(number: str, department_code: str) -> str:
    return f"{number}:{department_code}"


def part_grants_refresh(part: Part) -> None:
    """Who may act on the part follows its state and assignee (permissions decides)."""
    part_grants_sync(part=part)


def assignee_clean(
    *, site: str | None, window: str | None, reviewer: str | None, default: Site, field: str
) -> tuple[Site, str, str]:
    code = (site or "").strip()
    found = Site.objects.filter(code=code).first() if code else default
    if found is None:
        raise ValidationError({field: f"未知站点：{code}。"})
    return found, (window or "").strip()[:20], (reviewer or "").strip()[:150]


# ---------------------------------------------------------------- open (一口受理、同步运作)


def parts_open(*, case: Case, by, at: datetime, assignments: dict | None = None) -> list[Part]:
    """One part per co-department, each with its own clock, sent to its hall.

    Runs inside the caller's transaction with the case locked (case_accept) or on its own
    (`parts_open_here`, for a joint case that arrived accepted at the hall deciding it)."""
    here = site_current()
    version = case.item_version
    if case.parts.exists():
        raise ValidationError({"case": "该联办件已分送协办部门。"})
    lead = lead_department(version)
    departments = part_departments(version, lead)
    if not departments:
        raise ValidationError({"case": "事项未设联办部门，无法分送。"})
    assignments = assignments or {}
    if not isinstance(assignments, dict):
        raise ValidationError({"assignments": "应为 {部门编码: {site, window, reviewer}}。"})
    stray = sorted(set(assignments) - {d.code for d in departments})
    if stray:
        raise ValidationError({"assignments": f"不是该事项的联办部门：{'、'.join(stray)}。"})
    budget = version.part_limit_days or version.promised_limit_days
    parts = []
    for department in departments:
        wanted = assignments.get(department.code) or {}
        if not isinstance(wanted, dict):
            raise ValidationError({"assignments": f"{department.name}的分派应为对象。"})
        site, window, reviewer = assignee_clean(
            site=wanted.get("site"),
            window=wanted.get("window"),
            reviewer=wanted.get("reviewer"),
            default=here,
            field="assignments",
        )
        part = Part(
            key=part_key(case.number, department.code),
            case_number=case.number,
            case=case,
            lead_site=here,
            item_code=version.item.code,
            item_name=version.name,
            applicant_name=case.applicant_name,
            materials=list(case.materials_received),
            department=department,
            site=site,
            window_number=window,
            reviewer=reviewer,
            opened_at=at,
        )
        part_clock_set(part, start=timezone.localdate(at), budget=budget)
        part.save()
        part_grants_refresh(part)
        if site != here:
            outbound.part_send(part=part)
        parts.append(part)
    if lead != version.department:  # the centre chose another lead: its window here
        case.window = lead_window(site=here, lead=lead, accepting=case.window)
    data = {
        "parts": [part_event_data(p) for p in parts],
        "lead": {"department": lead.code, "window": case.window.number if case.window else ""},
    }
    lifecycle.event_record(case, type=EventType.PARTS_OPENED, by=by, here=here, at=at, data=data)
    return parts


@transaction.atomic
def parts_open_here(
    *, case: Case, by, assignments: dict | None = None, at: datetime | None = None
) -> list[Part]:
    """联办分送 for a joint case that reached the deciding hall already accepted (上报)."""
    step = lifecycle.transition(case=case, action="parts_open", at=at)
    case, here, at = step.case, step.here, step.at
    if case.item_version.handling_type != "joint":
        raise ValidationError({"case": "该办件不是联办件。"})
    if not lifecycle.may_decide(case, here):
        raise ValidationError({"case": "联办件由有权办结的牵头站点分送，本站点请上报。"})
    return parts_open(case=case, by=by, at=at, assignments=assignments)


# ---------------------------------------------------------------- opinions


def opinion_clean(*, opinion: str, reasons: str, materials) -> tuple[str, str, list[str]]:
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": "意见应为“同意”“有条件同意”或“不同意”。"})
    reasons = (reasons or "").strip()[:2000]
    if opinion != Opinion.AGREE and not reasons:
        what = "同意的条件" if opinion == Opinion.CONDITIONAL else "不同意的理由"
        raise ValidationError({"reasons": f"请写明{what}。"})
    if not isinstance(materials, list | tuple) or not all(isinstance(m, str) for m in materials):
        raise ValidationError({"materials": "应为材料名称列表。"})
    materials = [m.strip()[:100] for m in materials if m.strip()]
    if len(materials) > MAX_MATERIALS:
        raise ValidationError({"materials": f"附件最多{MAX_MATERIALS}项。"})
    return opinion, reasons, materials


@transaction.atomic
def part_opinion_give(
    *,
    part: Part,
    by,
    opinion: str,
    reasons: str = "",
    materials: list[str] | tuple = (),
    at: datetime | None = None,
) -> Part:
    """部门意见 at the part's hall: recorded at once at the lead, else sent back to it."""
    at = lifecycle.when(at)
    part = Part.objects.select_for_update().select_related("site", "lead_site").get(pk=part.pk)
    here = site_current()
    if part.site_id != here.id:
        raise ValidationError({"part": "该联办环节不在本站点办理。"})
    if part.state != PartState.OPEN:
        raise ValidationError(
            {"state": f"该联办环节当前状态为“{part.get_state_display()}”，不能出具意见。"}
        )
    opinion, reasons, materials = opinion_clean(
        opinion=opinion, reasons=reasons, materials=materials
    )
    part.opinion, part.reasons, part.opinion_materials = opinion, reasons, materials
    part.answered_at, part.answered_by = at, lifecycle.person_name(by)
    part.state = PartState.ANSWERED
    if part.case_id is None:  # a working copy: the lead decides what the answer counts for
        part.save()
        outbound.opinion_send(part=part)
        return part
    case = Case.objects.select_for_update().get(pk=part.case_id)
    lifecycle.status_check(case, "opinion")
    part.save()
    _opinion_record(part, case=case, by=by, here=here, at=at)
    return part


def _opinion_record(part: Part, *, case: Case, by, here: Site, at: datetime, actor_name=None):
    data = {"part": part_event_data(part)}
    lifecycle.event_record(
        case,
        type=EventType.OPINION_GIVEN,
        by=by,
        here=here,
        at=at,
        data=data,
        actor_name=actor_name,
    )


class LateOpinion(Exception):
    """An opinion the lead will not apply (reassigned, deemed, closed): the reason says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def part_opinion_receive(*, origin: str, payload: dict) -> Part:
    """At the lead: an opinion sent by the part's hall. Raises LateOpinion when it belongs to
    an assignment that is no longer current, or the part already has its answer."""
    part = (
        Part.objects.select_for_update()
        .select_related("site", "lead_site")
        .filter(key=str(payload["key"]), case__isnull=False)
        .first()
    )
    if part is None or part.lead_site.code != site_current().code:
        raise LateOpinion(f"本站点不是联办环节 {payload.get('key')} 的牵头站点")
    generation = payload["generation"]
    former = {m["from"]["site"] for m in part.reassignments}
    if part.site.code != origin and origin not in former:
        raise LateOpinion(f"{origin} 不是联办环节 {part.key} 的承办站点，意见不予采用")
    if part.site.code != origin or part.generation != generation:
        moved = part.reassignments[-1] if part.reassignments else {}
        raise LateOpinion(
            f"联办环节 {part.key} 已于 {moved.get('at', '')[:16]} 改派至 {part.site.code}"
            f"(第{part.generation}次分派)，原承办站点 {origin} 的意见不予采用"
        )
    if part.state != PartState.OPEN:
        raise LateOpinion(f"联办环节 {part.key} 已“{part.get_state_display()}”，迟到的意见不予采用")
    case = Case.objects.select_for_update().get(pk=part.case_id)
    if case.status not in RUNNING:
        raise LateOpinion(f"办件 {case.number} 已“{case.get_status_display()}”，意见不予采用")
    opinion, reasons, materials = opinion_clean(
        opinion=payload["opinion"],
        reasons=payload.get("reasons", ""),
        materials=payload["materials"],
    )
    at = parse_datetime(payload["answered_at"])
    if at is None or timezone.is_naive(at):
        raise ValueError("answered_at")
    part.opinion, part.reasons, part.opinion_materials = opinion, reasons, materials
    part.answered_at, part.answered_by = at, str(payload.get("answered_by", ""))[:150]
    part.state = PartState.ANSWERED
    part.save()
    _opinion_record(
        part, case=case, by=None, here=part.lead_site, at=at, actor_name=part.answered_by
    )
    return part


# ---------------------------------------------------------------- deemed consent (逾期默认)


@transaction.atomic
def part_deem(*, part: Part, at: datetime | None = None) -> Part | None:
    """The part's time ran out without an opinion: deemed to agree, visibly, and the
    department's window loses the points of the county rule. None when nothing to do."""
    at = at or timezone.now()
    part = Part.objects.select_for_update().select_related("site", "department").get(pk=part.pk)
    here = site_current()
    if part.state != PartState.OPEN or part.case_id is None:
        return None
    case = Case.objects.select_for_update().get(pk=part.case_id)
    if case.owner_site_id != here.id or case.status not in RUNNING:
        return None
    if timezone.localdate(at) <= part.deadline:
        return None
    points = -int(joint_rule().deemed_points)
    part.state = PartState.DEEMED
    part.opinion = Opinion.AGREE
    part.reasons = f"逾期未出具意见(期限 {part.deadline:%Y-%m-%d})，按默认同意处理"
    part.answered_at, part.answered_by = at, "系统(逾期默认)"
    part.deemed_points = points
    part.save()
    WindowDeduction.objects.get_or_create(
        part_key=part.key,
        defaults={
            "site": part.site,
            "department": part.department,
            "window_number": part.window_number,
            "points": points,
            "reason": f"联办件 {case.number} 逾期未出具意见，按默认同意处理",
            "at": at,
        },
    )
    part_grants_refresh(part)
    if part.site_id != here.id:
        outbound.part_withdraw_send(
            part=part,
            site_code=part.site.code,
            generation=part.generation,
            state=PartState.DEEMED,
            note=part.reasons,
        )
    data = {"part": part_event_data(part), "points": points}
    lifecycle.event_record(
        case, type=EventType.DEEMED_CONSENT, by=None, here=here, at=at, data=data
    )
    return part


# ---------------------------------------------------------------- the case ends


def parts_cancel(*, case: Case, here: Site) -> int:
    """退办 / 撤回 of a joint case: its open parts are withdrawn from their halls."""
    count = 0
    for part in case.parts.select_for_update().select_related("site").filter(state=PartState.OPEN):
        part.state = PartState.CANCELLED
        part.save(update_fields=["state"])
        part_grants_refresh(part)
        if part.site_id != here.id:
            outbound.part_withdraw_send(
                part=part,
                site_code=part.site.code,
                generation=part.generation,
                state=PartState.CANCELLED,
                note=f"办件已{case.get_status_display()}",
            )
        count += 1
    return count


@transaction.atomic
def case_countersign(
    *,
    case: Case,
    by,
    outcome: str,
    opinion: str = "",
    resolution: str = "",
    at: datetime | None = None,
) -> Case:
    """集中会签 at the lead window: concludes a joint case (case_decide checks the parts)."""
    if case.item_version.handling_type != "joint":
        raise ValidationError({"case": "该办件不是联办件，请直接办结。"})
    return case_decide(
        case=case, by=by, outcome=outcome, opinion=opinion, resolution=resolution, at=at
    )


def countersign_check(*, case: Case, outcome: str, resolution: str) -> dict:
    """集中会签: every part answered (given or deemed); a disagreement needs the lead's
    written resolution. Returns the countersign record (the event's data)."""
    parts = list(case.parts.select_related("department", "site").order_by("department__code"))
    if not parts:
        raise ValidationError({"case": "联办件尚未分送协办部门，不能会签办结。"})
    waiting = [p.department.name for p in parts if p.state not in DONE_STATES]
    if waiting:
        raise ValidationError(
            {"parts": f"以下协办部门尚未出具意见，不能会签办结：{'、'.join(waiting)}。"}
        )
    against = [p.department.name for p in parts if p.opinion == Opinion.DISAGREE]
    resolution = (resolution or "").strip()[:2000]
    if against and not resolution:
        raise ValidationError(
            {"resolution": f"{'、'.join(against)}不同意，请牵头窗口填写书面处理意见后再办结。"}
        )
    return {
        "outcome": outcome,
        "resolution": resolution,
        "parts": [
            {
                "key": p.key,
                "department": p.department.code,
                "site": p.site.code,
                "opinion": p.opinion,
                "deemed": p.state == PartState.DEEMED,
            }
            for p in parts
        ],
    }


__all__ = [
    "LateOpinion",
    "case_countersign",
    "countersign_check",
    "part_deem",
    "part_opinion_give",
    "part_opinion_receive",
    "parts_cancel",
    "parts_open",
    "parts_open_here",
]

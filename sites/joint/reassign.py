"""Reassignment (改派) of a stalled part by a county supervisor, at the lead hall.

The part moves to another department, window, reviewer or hall with a reason. The clock
continues, or restarts on the day of the move when the county rule says so. The old
assignee loses its rights (its hall gets a withdrawal), the new one gains them (its hall
gets the part), and the move is one event on the case timeline. A part that has its
answer already is not moved: the answer wins.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sites.cases import lifecycle
from sites.cases.models import Case, EventType
from sites.joint import outbound
from sites.joint.clock import joint_rule, part_clock_set
from sites.joint.models import Part, PartState
from sites.joint.services import assignee_clean, part_grants_refresh
from sites.joint.snapshot import assignee, part_event_data
from sites.registry.models import Department
from sites.registry.selectors import site_current


@transaction.atomic
def part_reassign(
    *,
    part: Part,
    by,
    reason: str,
    department: str | None = None,
    site: str | None = None,
    window: str | None = None,
    reviewer: str | None = None,
    at: datetime | None = None,
) -> Part:
    at = lifecycle.when(at)
    part = (
        Part.objects.select_for_update()
        .select_related("site", "department", "lead_site")
        .get(pk=part.pk)
    )
    here = site_current()
    if part.case_id is None or part.lead_site_id != here.id:
        raise ValidationError({"part": "改派须在牵头站点进行。"})
    case = Case.objects.select_for_update().select_related("item_version").get(pk=part.case_id)
    lifecycle.owner_check(case, here)
    lifecycle.status_check(case, "reassign")
    if part.state in (PartState.ANSWERED, PartState.DEEMED):
        when = timezone.localtime(part.answered_at).strftime("%Y-%m-%d %H:%M")
        raise ValidationError(
            {
                "part": f"该环节已于 {when} 由 {part.answered_by} 出具意见"
                f"(“{part.get_opinion_display()}”)，以意见为准，不能改派。"
            }
        )
    if part.state != PartState.OPEN:
        raise ValidationError({"part": f"该环节已“{part.get_state_display()}”，不能改派。"})
    reason = lifecycle.text_clean(reason, "reason", "改派理由")

    dept = part.department
    if department:
        allowed = case.item_version.co_departments.filter(code=department.strip()).first()
        if allowed is None:
            name = Department.objects.filter(code=department.strip()).first()
            raise ValidationError(
                {"department": f"{name or department} 不是该事项的联办部门，不能改派给它。"}
            )
        taken = case.parts.filter(department=allowed).exclude(pk=part.pk).exists()
        if taken:
            raise ValidationError({"department": f"{allowed.name}在本件已有联办环节。"})
        dept = allowed
    new_site, new_window, new_reviewer = assignee_clean(
        site=site or part.site.code,
        window=part.window_number if window is None else window,
        reviewer=part.reviewer if reviewer is None else reviewer,
        default=part.site,
        field="site",
    )
    before = assignee(part)
    old_site, old_generation = part.site, part.generation
    part.department, part.site = dept, new_site
    part.window_number, part.reviewer = new_window, new_reviewer
    after = assignee(part)
    if after == before:
        raise ValidationError({"site": "改派目标与当前承办相同。"})

    restart = joint_rule().restart_on_reassign
    if restart:
        part_clock_set(part, start=timezone.localdate(at), budget=part.budget_days)
    part.generation += 1
    move = {
        "at": at.isoformat(),
        "by": lifecycle.person_name(by),
        "reason": reason,
        "restart": restart,
        "from": before,
        "to": after,
    }
    part.reassignments = [*part.reassignments, move]
    part.save()
    part_grants_refresh(part)  # the old assignee's grants go, the new one's come (when it is here)
    if old_site.pk != here.id and old_site.pk != new_site.pk:
        outbound.part_withdraw_send(
            part=part,
            site_code=old_site.code,
            generation=old_generation,
            state=PartState.MOVED,
            note=f"已改派至 {new_site.name}：{reason}",
        )
    if new_site.pk != here.id:
        outbound.part_send(part=part)
    data = {"part": part_event_data(part), "reassignment": move}
    lifecycle.event_record(case, type=EventType.PART_REASSIGNED, by=by, here=here, at=at, data=data)
    return part

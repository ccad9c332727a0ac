"""The part's hall when it is not the lead: its working copy, created, updated and withdrawn
by the lead's messages. Rights at this hall follow the copy."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from sites.joint.access import part_grants_sync
from sites.joint.models import Opinion, Part, PartState
from sites.registry.models import Department, Site
from sites.registry.selectors import site_current

WITHDRAW_STATES = (PartState.MOVED, PartState.DEEMED, PartState.CANCELLED)


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _grants(part: Part) -> None:
    part_grants_sync(part=part)


@transaction.atomic
def part_copy_apply(*, origin: str, snapshot: dict) -> Part | None:
    """A part assigned to this hall (or its assignment changed). None: an older message."""
    here = site_current()
    if snapshot["lead_site"] != origin:
        raise Refused("联办环节的牵头站点与消息来源不符")
    if snapshot["site"] != here.code:
        raise Refused(f"联办环节分派给 {snapshot['site']}，不是本站点")
    existing = Part.objects.select_for_update().filter(key=snapshot["key"]).first()
    if existing is not None:
        if existing.case_id is not None or existing.lead_site.code != origin:
            raise Refused(f"联办环节 {snapshot['key']} 的牵头站点不是 {origin}")
        if existing.generation >= snapshot["generation"]:
            return None  # already have this assignment or a newer one
    department = Department.objects.filter(code=snapshot["department"]).first()
    if department is None:
        raise Refused(f"未知部门 {snapshot['department']}")
    values = {
        "case_number": snapshot["case_number"],
        "lead_site": Site.objects.get(code=origin),
        "item_code": snapshot["item_code"],
        "item_name": snapshot["item_name"],
        "applicant_name": snapshot["applicant_name"],
        "materials": snapshot["materials"],
        "department": department,
        "site": here,
        "window_number": snapshot["window"],
        "reviewer": snapshot["reviewer"],
        "generation": snapshot["generation"],
        "state": PartState.OPEN,
        "budget_days": snapshot["budget_days"],
        "start": parse_date(snapshot["start"]),
        "deadline": parse_date(snapshot["deadline"]),
        "deadline_provisional": snapshot["deadline_provisional"],
        "warning_from": parse_date(snapshot["warning_from"]),
        "opened_at": parse_datetime(snapshot["opened_at"]),
        "reassignments": snapshot["reassignments"],
        "opinion": "",
        "reasons": "",
        "opinion_materials": [],
        "answered_at": None,
        "answered_by": "",
    }
    part, _ = Part.objects.update_or_create(key=snapshot["key"], defaults=values)
    _grants(part)
    return part


@transaction.atomic
def part_copy_withdraw(*, origin: str, payload: dict) -> Part | None:
    """The lead took the part away from this hall: moved, deemed or cancelled."""
    state = payload["state"]
    if state not in WITHDRAW_STATES:
        raise Refused(f"未知的撤回状态 {state}")
    part = Part.objects.select_for_update().filter(key=payload["key"], case__isnull=True).first()
    if part is None:
        return None  # never got it (the assignment and its withdrawal crossed): nothing to do
    if part.lead_site.code != origin:
        raise Refused(f"联办环节 {part.key} 的牵头站点不是 {origin}")
    if part.generation > payload["generation"]:
        return None  # a newer assignment to this hall stands
    part.state = state
    if state == PartState.DEEMED:  # the same record as at the lead: deemed to agree
        part.opinion = Opinion.AGREE
        part.reasons = str(payload.get("note", ""))[:2000]
    part.save()
    _grants(part)
    return part


__all__ = ["Refused", "ValidationError", "part_copy_apply", "part_copy_withdraw"]

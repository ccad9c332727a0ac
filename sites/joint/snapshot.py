"""A part as it travels: in messages to its hall and in the case events to the county."""

from __future__ import annotations

from sites.cases.identity import mask_name
from sites.joint.models import Part


def assignee(part: Part) -> dict:
    return {
        "department": part.department.code,
        "site": part.site.code,
        "window": part.window_number,
        "reviewer": part.reviewer,
    }


def part_snapshot(part: Part) -> dict:
    return {
        "key": part.key,
        "case_number": part.case_number,
        "lead_site": part.lead_site.code,
        "item_code": part.item_code,
        "item_name": part.item_name,
        "applicant_name": part.applicant_name,
        "materials": part.materials,
        **assignee(part),
        "generation": part.generation,
        "state": part.state,
        "budget_days": part.budget_days,
        "start": part.start.isoformat(),
        "deadline": part.deadline.isoformat(),
        "deadline_provisional": part.deadline_provisional,
        "warning_from": part.warning_from.isoformat(),
        "opened_at": part.opened_at.isoformat(),
        "opinion": part.opinion,
        "reasons": part.reasons,
        "opinion_materials": part.opinion_materials,
        "answered_at": part.answered_at.isoformat() if part.answered_at else None,
        "answered_by": part.answered_by,
        "deemed_points": part.deemed_points,
        "reassignments": part.reassignments,
    }


def part_event_data(part: Part) -> dict:
    """The part as the case timeline records it: the applicant's name masked, as in the
    case detail (the full name travels only to the part's hall, which reviews the case)."""
    return {**part_snapshot(part), "applicant_name": mask_name(part.applicant_name)}

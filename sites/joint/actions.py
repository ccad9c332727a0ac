"""联办件's actions in the one action table (sites.cases.actions), registered when the app is
ready (sites.joint.apps) so that sites.cases never imports this app (ADR 0026)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.actions import RUNNING, Action, actions_register, no_input, outcome_of, text_of
from sites.cases.models import CaseStatus
from sites.joint.models import PartState
from sites.registry.selectors import site_current

S = CaseStatus
SERVICES = "sites.joint.services"


def _part(case, data, *, here_only: bool = False):
    """The open 联办环节 of `case` named by its department code (field `department`)."""
    parts = case.parts.filter(
        department__code=text_of(data, "department")[:20], state=PartState.OPEN
    )
    if here_only:  # an opinion is given where the part is handled
        parts = parts.filter(site=site_current())
    part = parts.select_related("department", "site").first()
    if part is None:
        raise ValidationError({"department": "请选择一个办理中的联办环节。"})
    return part


def _or_none(data, name: str) -> str | None:
    return text_of(data, name)[:40] or None


JOINT_ACTIONS = (
    Action(
        "parts_open",
        "分送协办部门",
        frozenset({S.ACCEPTED}),
        service=f"{SERVICES}.parts_open_here",
        page_input=no_input,
        only_kind="joint",
        decides=True,
    ),
    Action(
        "opinion",
        "接收部门意见",
        frozenset(RUNNING),
        service=f"{SERVICES}.part_opinion_give",
        page_input=lambda case, d: {
            "part": _part(case, d, here_only=True),
            "opinion": text_of(d, "opinion"),
            "reasons": text_of(d, "reasons"),
        },
        on="part",
        only_kind="joint",
    ),
    Action(
        "countersign",
        "会签办结",
        frozenset({S.ACCEPTED}),
        S.CONCLUDED,
        service=f"{SERVICES}.case_countersign",
        page_input=lambda case, d: {
            "outcome": outcome_of(d),
            "opinion": text_of(d, "opinion"),
            "resolution": text_of(d, "resolution"),
        },
        only_kind="joint",
        decides=True,
    ),
    Action(
        "reassign",
        "改派联办环节",
        frozenset(RUNNING),
        service="sites.joint.reassign.part_reassign",
        page_input=lambda case, d: {
            "part": _part(case, d),
            "reason": text_of(d, "reason"),
            "department": _or_none(d, "to_department"),
            "site": _or_none(d, "to_site"),
        },
        on="part",
        only_kind="joint",
    ),
)


def joint_actions_register() -> None:
    actions_register(*JOINT_ACTIONS)

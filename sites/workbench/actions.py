"""What may be done to a case now. ONE function, to be re-pointed at
sites.cases.lifecycle.actions_available when that lands (same signature and Action shape)."""

from __future__ import annotations

from typing import NamedTuple

from sites.cases.models import Case, CaseStatus
from sites.cases.services import may_decide_here

OPEN = (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)


class Action(NamedTuple):
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None


ACTIONS = (
    Action("accept", "受理", (CaseStatus.SUBMITTED,), CaseStatus.ACCEPTED),
    Action("refuse", "不予受理", (CaseStatus.SUBMITTED,), CaseStatus.REFUSED),
    Action("supplement", "一次性告知补正", (CaseStatus.ACCEPTED,), CaseStatus.SUSPENDED),
    Action("supplement_complete", "补正材料齐全", (CaseStatus.SUSPENDED,), CaseStatus.ACCEPTED),
    Action("materials", "补交容缺材料", OPEN, None),
    Action("extend", "延期", (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED), None),
    Action("decide", "办结", (CaseStatus.ACCEPTED,), CaseStatus.CONCLUDED),
    Action("return", "退办", (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED), CaseStatus.RETURNED),
    Action("withdraw", "撤回", OPEN, CaseStatus.WITHDRAWN),
    Action("forward", "上报", (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED), None),
    Action("hand_back", "退回下级", (CaseStatus.SUBMITTED, CaseStatus.ACCEPTED), None),
)


def actions_available(*, case: Case, here) -> list[Action]:
    """The actions the case's state allows at this hall (the caller checks the person)."""
    if case.owner_site_id != here.id:
        return []
    decides = may_decide_here(case, here)
    out = []
    for action in ACTIONS:
        if case.status not in action.sources:
            continue
        if action.name == "materials" and not case.materials_deferred:
            continue
        if action.name == "decide" and not decides:
            continue
        if action.name == "forward" and (decides or here.parent_id is None):
            continue
        if action.name == "hand_back" and case.origin_site_id == here.id:
            continue
        out.append(action)
    return out

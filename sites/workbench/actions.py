"""What a page offers for a case now: the lifecycle's table (sites.cases.lifecycle), minus
what would only end in an error on this page (the person's rights are checked on top)."""

from __future__ import annotations

from sites.cases.lifecycle import Action
from sites.cases.lifecycle import actions_available as lifecycle_actions
from sites.cases.models import Case

__all__ = ["Action", "actions_available"]


def actions_available(*, case: Case, here) -> list[Action]:
    found = lifecycle_actions(case=case, here=here)
    decides = any(a.name in ("decide", "countersign") for a in found)
    offered = []
    for action in found:
        if action.name == "materials" and not case.materials_deferred:
            continue  # nothing deferred to supply
        if action.name == "forward" and decides:
            continue  # decided here: nothing to forward up
        offered.append(action)
    return offered

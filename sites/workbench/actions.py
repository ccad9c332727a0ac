"""What a page offers for a case now: the lifecycle's table (sites.cases.lifecycle), minus
what would only end in an error on this page (the person's rights are checked on top)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.actions import Action
from sites.cases.lifecycle import actions_available as lifecycle_actions
from sites.cases.models import Case
from sites.cases.rules import signer_check
from sites.joint.access import can_give_opinion, can_reassign_part
from sites.joint.models import PartState

__all__ = ["Action", "actions_available", "open_parts"]


def open_parts(case: Case) -> list:
    """A joint case's parts still waiting for an opinion (none for other cases)."""
    if case.item_version.handling_type != "joint":
        return []
    return list(case.parts.filter(state=PartState.OPEN).select_related("department", "site"))


def _joint_offer(action: Action, case: Case, here, user) -> bool:
    """The joint actions only when there is something to act on and this person may."""
    if action.name == "parts_open":
        return not case.parts.exists()
    parts = open_parts(case)
    if action.name == "opinion":
        return user is not None and any(
            p.site_id == here.id and can_give_opinion(user=user, part=p) for p in parts
        )
    if action.name == "reassign":
        return user is not None and any(can_reassign_part(user=user, part=p) for p in parts)
    return True


def _signs(case: Case, here, user) -> bool:
    """Whether this person signs the decision (the 首席代表, or a clerk the rule authorises)."""
    try:
        signer_check(case=case, here=here, by=user)
    except ValidationError:
        return False
    return True


def actions_available(*, case: Case, here, user=None) -> list[Action]:
    found = lifecycle_actions(case=case, here=here)
    decides = any(a.name in ("decide", "countersign") for a in found)
    offered = []
    for action in found:
        if action.name == "materials" and not case.materials_deferred:
            continue  # nothing deferred to supply
        if action.name == "prepare" and (user is None or _signs(case, here, user)):
            continue  # 拟办 is for who may not sign: the signer decides directly
        if action.name == "forward" and decides:
            continue  # decided here: nothing to forward up
        if action.name in ("parts_open", "opinion", "reassign") and not _joint_offer(
            action, case, here, user
        ):
            continue
        offered.append(action)
    return offered

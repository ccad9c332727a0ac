"""One action on one case from a page form: the action table's row (sites.cases.actions)
turns the post into its service's arguments and runs the service."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases.actions import ACTIONS


def action_perform(*, name: str, case, by, data):
    """Returns what the service returns (the query code for 受理)."""
    act = ACTIONS.get(name)
    if act is None:
        raise ValidationError({"action": "未知操作。"})
    return act.page_perform(case=case, by=by, data=data)

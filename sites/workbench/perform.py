"""One action on one case from a page form: clean the posted fields, call one service."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from sites.cases import services, transfer
from sites.cases.models import Outcome
from sites.joint.models import PartState
from sites.joint.reassign import part_reassign
from sites.joint.services import case_countersign, part_opinion_give, parts_open_here
from sites.registry.selectors import site_current


def errors_of(exc: ValidationError) -> dict:
    """A service's ValidationError as {field: message} for a page."""
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"general": " ".join(exc.messages)}


def _text(data, name: str) -> str:
    return (data.get(name) or "").strip()


def _days(data) -> int:
    try:
        days = int(_text(data, "days"))
    except ValueError:
        raise ValidationError({"days": "延期天数须为整数。"}) from None
    return days


def _lines(data, name: str) -> list[str]:
    return [line.strip() for line in _text(data, name).splitlines() if line.strip()]


def _outcome(data) -> str:
    value = _text(data, "outcome")
    if value not in Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果。"})
    return value


def _part(case, data, *, here_only: bool = False):
    """The open 联办环节 of `case` named by its department code (field `department`)."""
    parts = case.parts.filter(department__code=_text(data, "department")[:20], state=PartState.OPEN)
    if here_only:  # an opinion is given where the part is handled
        parts = parts.filter(site=site_current())
    part = parts.select_related("department", "site").first()
    if part is None:
        raise ValidationError({"department": "请选择一个办理中的联办环节。"})
    return part


def _or_none(data, name: str) -> str | None:
    return _text(data, name)[:40] or None


PERFORMERS = {
    "accept": lambda case, by, d: services.case_accept(case=case, by=by),
    "refuse": lambda case, by, d: services.case_refuse(
        case=case, by=by, reasons=_text(d, "reasons")
    ),
    "supplement": lambda case, by, d: services.case_supplement_request(
        case=case, by=by, items=_lines(d, "items")
    ),
    "supplement_complete": lambda case, by, d: services.case_supplement_complete(case=case, by=by),
    "materials": lambda case, by, d: services.case_materials_supply(
        case=case, by=by, names=d.getlist("names")
    ),
    "extend": lambda case, by, d: services.case_extend(
        case=case, by=by, days=_days(d), reason=_text(d, "reason")
    ),
    "decide": lambda case, by, d: services.case_decide(
        case=case, by=by, outcome=_outcome(d), opinion=_text(d, "opinion")
    ),
    "prepare": lambda case, by, d: services.case_decision_prepare(  # 拟办, for the 首席代表
        case=case, by=by, outcome=_outcome(d), opinion=_text(d, "opinion")
    ),
    "countersign": lambda case, by, d: case_countersign(
        case=case,
        by=by,
        outcome=_outcome(d),
        opinion=_text(d, "opinion"),
        resolution=_text(d, "resolution"),
    ),
    "return": lambda case, by, d: services.case_return(
        case=case, by=by, reason=_text(d, "reason"), policy=_text(d, "policy")
    ),
    "withdraw": lambda case, by, d: services.case_withdraw(
        case=case, by=by, reason=_text(d, "reason")
    ),
    "forward": lambda case, by, d: transfer.case_forward(case=case, by=by, note=_text(d, "note")),
    # 联办件 (joint approvals): what the lifecycle offers on a joint case, done here too
    "parts_open": lambda case, by, d: parts_open_here(case=case, by=by),
    "opinion": lambda case, by, d: part_opinion_give(
        part=_part(case, d, here_only=True),
        by=by,
        opinion=_text(d, "opinion"),
        reasons=_text(d, "reasons"),
    ),
    "reassign": lambda case, by, d: part_reassign(
        part=_part(case, d),
        by=by,
        reason=_text(d, "reason"),
        department=_or_none(d, "to_department"),
        site=_or_none(d, "to_site"),
    ),
    "hand_back": lambda case, by, d: transfer.case_hand_back(
        case=case, by=by, note=_text(d, "note")
    ),
}


def action_perform(*, name: str, case, by, data):
    """Returns what the service returns (the query code for 受理)."""
    if name not in PERFORMERS:
        raise ValidationError({"action": "未知操作。"})
    return PERFORMERS[name](case, by, data)

"""The case actions, each declared once (ADR 0026): its name, Chinese label, the statuses it
may run from, where it leads, its inputs (the REST serializer, the page form and how a page
post becomes the service's arguments), the one service that does it and who may.

Read by the lifecycle (status checks, what is offered: sites.cases.lifecycle), the REST API
(one view per action: sites.cases.api), and the workbench (the case page's forms and
buttons: sites.workbench). A case kind adds its own actions with `actions_register` when its
app is ready (sites.joint.actions: 联办 parts_open, opinion, countersign, reassign), so this
app never imports it.

The service is named by its dotted path and imported when first run: the services import
the lifecycle, which reads this table, so importing them here would be a cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from sites.cases import forms as f
from sites.cases import serializers as s
from sites.cases.models import CaseStatus, Outcome

S = CaseStatus
PageInput = Callable[[Any, Any], dict]  # (case, request.POST) -> the service's keyword args


def no_input(case, data) -> dict:
    return {}


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # the Chinese verb in messages: 不能{label}
    sources: frozenset  # statuses it may run from (empty: it creates the case)
    target: str | None = None  # the status it leads to (None: unchanged)
    # A clearer message than the generic one for some refused statuses.
    refusals: tuple[tuple[str, str], ...] = ()
    # service(case=, by=, **arguments): dotted path, imported when first run (see above)
    service: str | None = None
    who: str = "handle"  # the case right it needs (permissions.roles.Action)
    # the REST API (sites.cases.api): summary, input serializer; no summary: not on /api/cases/
    summary: str = ""
    input: type | None = None
    # the case page (sites.workbench): the form shown (None: a button alone), and the post
    # turned into the service's arguments (None: the page does not perform it)
    form: type | None = None
    page_input: PageInput | None = None
    on: str = "case"  # what the service acts on: the case, or a part the page input names
    # the case then belongs to another hall: the page goes to the inbox with this message
    moves_away: str = ""
    # where it is offered: a case kind only / every kind but one; needs the hall to decide
    # the case (the catalogue's delegation); a condition of its own
    only_kind: str | None = None
    not_kind: str | None = None
    decides: bool = False
    offered_if: Callable[[Any, Any], bool] | None = field(default=None, compare=False)

    def allows(self, status: str) -> bool:
        return status in self.sources

    @cached_property
    def perform(self) -> Callable[..., Any]:
        if self.service is None:
            raise LookupError(f"action {self.name!r} has no service")
        return import_string(self.service)

    def page_perform(self, *, case, by, data):
        """Run it from a page post; returns what the service returns (受理: the query code)."""
        if self.page_input is None:
            raise ValidationError({"action": "未知操作。"})
        arguments = self.page_input(case, data)
        if self.on == "case":
            arguments["case"] = case
        return self.perform(by=by, **arguments)

    @property
    def url_name(self) -> str:
        """cases/<number>/<url_name>/ and the route name case-<url_name>."""
        return self.name.replace("_", "-")


ACTIONS: dict[str, Action] = {}


def actions_register(*actions: Action) -> None:
    """Add actions to the table (idempotent for an identical row; a second, different row for
    a name is a programming error)."""
    for act in actions:
        found = ACTIONS.get(act.name)
        if found is not None and found != act:
            raise ValueError(f"action {act.name!r} is declared twice")
        ACTIONS[act.name] = act


# ---------------------------------------------------------------- page input


def text_of(data, name: str) -> str:
    return (data.get(name) or "").strip()


def lines_of(data, name: str) -> list[str]:
    return [line.strip() for line in text_of(data, name).splitlines() if line.strip()]


def days_of(data) -> int:
    try:
        return int(text_of(data, "days"))
    except ValueError:
        raise ValidationError({"days": "延期天数须为整数。"}) from None


def outcome_of(data) -> str:
    value = text_of(data, "outcome")
    if value not in Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果。"})
    return value


def _fields(*names: str) -> PageInput:
    return lambda case, d: {n: text_of(d, n) for n in names}


def _decision(case, d) -> dict:
    return {"outcome": outcome_of(d), "opinion": text_of(d, "opinion")}


# ---------------------------------------------------------------- the table

RUNNING = (S.ACCEPTED, S.SUSPENDED)  # the clock runs or is suspended
OPEN = (S.SUBMITTED, S.ACCEPTED, S.SUSPENDED)
SERVICES = "sites.cases.services"
TRANSFER = "sites.cases.transfer"

actions_register(
    Action("submit", "收件", frozenset(), S.SUBMITTED, service=f"{SERVICES}.case_submit"),
    Action(
        "accept",
        "受理",
        frozenset({S.SUBMITTED}),
        S.ACCEPTED,
        service=f"{SERVICES}.case_accept",
        summary="受理(返回仅显示一次的查询码；联办件同时分送协办部门)",
        input=s.AcceptInput,
        page_input=no_input,
    ),
    Action(
        "refuse",
        "作出不予受理决定",
        frozenset({S.SUBMITTED}),
        S.REFUSED,
        service=f"{SERVICES}.case_refuse",
        summary="不予受理",
        input=s.RefuseInput,
        form=f.RefuseForm,
        page_input=_fields("reasons"),
    ),
    Action(
        "supplement",
        "一次性告知补正",
        frozenset({S.ACCEPTED}),
        S.SUSPENDED,
        service=f"{SERVICES}.case_supplement_request",
        summary="一次性告知补正(暂停计时)",
        input=s.SupplementInput,
        form=f.SupplementForm,
        page_input=lambda case, d: {"items": lines_of(d, "items")},
    ),
    Action(
        "supplement_complete",
        "登记补正材料齐全",
        frozenset({S.SUSPENDED}),
        S.ACCEPTED,
        service=f"{SERVICES}.case_supplement_complete",
        summary="补正材料齐全(恢复计时)",
        input=s.AtInput,
        page_input=no_input,
    ),
    Action(
        "materials",
        "补交容缺材料",
        frozenset(OPEN),
        service=f"{SERVICES}.case_materials_supply",
        summary="补交容缺材料",
        input=s.MaterialsInput,
        page_input=lambda case, d: {"names": d.getlist("names")},
    ),
    Action(
        "extend",
        "延期",
        frozenset(RUNNING),
        service=f"{SERVICES}.case_extend",
        summary="延期",
        input=s.ExtendInput,
        form=f.ExtendForm,
        page_input=lambda case, d: {"days": days_of(d), "reason": text_of(d, "reason")},
    ),
    Action(
        "decide",
        "办结",
        frozenset({S.ACCEPTED}),
        S.CONCLUDED,
        refusals=((S.SUBMITTED, "办件尚未受理，不能办结。"),),
        service=f"{SERVICES}.case_decide",
        summary="办结(准予/不予准予)",
        input=s.DecideInput,
        page_input=_decision,
        not_kind="joint",  # a joint case concludes by countersign
        decides=True,
    ),
    Action(
        "return",
        "退办",
        frozenset({S.SUBMITTED, S.ACCEPTED}),
        S.RETURNED,
        service=f"{SERVICES}.case_return",
        summary="退办",
        input=s.ReturnInput,
        form=f.ReturnForm,
        page_input=_fields("reason", "policy"),
    ),
    Action(
        "withdraw",
        "撤回",
        frozenset(OPEN),
        S.WITHDRAWN,
        service=f"{SERVICES}.case_withdraw",
        summary="撤回",
        input=s.WithdrawInput,
        form=f.WithdrawForm,
        page_input=_fields("reason"),
    ),
    Action(
        "forward",
        "上报",
        frozenset({S.ACCEPTED}),
        service=f"{TRANSFER}.case_forward",
        summary="上报(办理权移交上级站点)",
        input=s.NoteInput,
        form=f.NoteForm,
        page_input=_fields("note"),
        offered_if=lambda case, here: here.parent_id is not None,
        moves_away="办件 {number} 已上报上级站点办理，可在“我代办的办件”或县级汇总中查看进度。",
    ),
    Action(
        "hand_back",
        "退回下级",
        frozenset({S.ACCEPTED, S.CONCLUDED}),
        service=f"{TRANSFER}.case_hand_back",
        summary="退回下级站点",
        input=s.NoteInput,
        form=f.NoteForm,
        page_input=_fields("note"),
        offered_if=lambda case, here: bool(case.route),
        moves_away="办件 {number} 已退回下级站点。",
    ),
    Action(
        "prepare",
        "拟办(提交首席代表签批)",
        frozenset({S.ACCEPTED}),
        service=f"{SERVICES}.case_decision_prepare",  # 拟办, for the 首席代表
        page_input=_decision,
        not_kind="joint",  # a joint case's 首席代表 signs the 会签 itself
        decides=True,
    ),
)

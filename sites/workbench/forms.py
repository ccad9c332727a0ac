"""Page forms: every value a page reads from a request is cleaned here, bounded before it
reaches a query or a service (types, lengths, numbers, dates), with Chinese messages.

The shared pieces (`text`, `number`, `ListQuery`, `problems`, `service_errors`) live in
sites.cases.forms, below every other hall app (docs/decisions/0025-layers.md)."""

from __future__ import annotations

from django import forms

from sites.cases.actions import ACTIONS
from sites.cases.forms import (
    MESSAGES,
    BoundedDateField,
    BoundedDateTimeField,
    ListQuery,
    lines,
    number,
    text,
)


class InboxQuery(ListQuery):
    state = text("办件状态", 20)
    q = text("办件编号或申请人", 100)
    all = text("全部", 5)


class ItemPick(forms.Form):
    """收件's item picker: search by name, pick one (?item=), or the posted item."""

    q = text("按名称搜索事项", 50)
    item = text("事项", 50)
    item_code = text("事项", 50)


class IntakeForm(forms.Form):
    item_code = text("事项", 50, required=True, widget=forms.HiddenInput)
    applicant_name = text("申请人姓名", 50)
    applicant_id_number = text("身份证号", 18)
    applicant_phone = text("联系电话", 20)
    submitted_at = BoundedDateTimeField(
        label="收件时间", required=False, help_text="不填为现在（北京时间）。"
    )
    materials = forms.MultipleChoiceField(
        label="申报材料清单（勾选已收的材料）",
        required=False,
        choices=(),
        error_messages=MESSAGES,
        widget=forms.CheckboxSelectMultiple,
    )
    as_supplement = forms.BooleanField(
        label="缺少必交材料时登记为补办件",
        required=False,
        help_text="勾选后不予退回：登记办件(补正中)并出具《补办件通知书》，一次性告知所缺材料；"
        "材料补齐之日起受理。",
    )
    sms_refused = forms.BooleanField(
        label="申请人不接收短信通知",
        required=False,
        help_text="不勾选时，收件、受理、办结、领取等环节以短信告知申请人(联系电话须为手机号)。",
    )

    def __init__(self, *args, material_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = list(material_names)
        self.fields["submitted_at"].widget = forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        )


class WindowChoice(forms.Form):
    window = number("窗口", 1, required=True)


class TicketAction(forms.Form):
    ticket = number("排队号")
    department = text("转到部门", 50)


class ReassignForm(forms.Form):
    reason = lines("改派理由", 500)
    department = text("改派部门", 50)
    site = text("改派站点", 50)
    back = text("返回", 10)  # "case": back to the case page it was sent from


class PrereviewQuery(forms.Form):
    status = text("状态", 20)


class PrereviewAction(forms.Form):
    materials = forms.MultipleChoiceField(required=False, choices=(), label="已收材料")
    missing = lines("缺少的材料", 2000)
    note = lines("说明", 2000)

    def __init__(self, *args, material_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = list(material_names)


class StatisticsQuery(forms.Form):
    """排队统计's ?from=&to= (Beijing days); `from` is a keyword, so the fields are added below."""

    def period(self) -> dict:
        """{"from": "2026-03-01", "to": ...} for sites.queueing.selectors.period_from."""
        data = self.cleaned_data if self.is_valid() else {}
        return {k: data[k].isoformat() for k in ("from", "to") if data.get(k)}


StatisticsQuery.base_fields["from"] = BoundedDateField(label="起始日期", required=False)
StatisticsQuery.base_fields["to"] = BoundedDateField(label="截止日期", required=False)


def action_form(name: str, data=None, errors: dict | None = None) -> forms.Form | None:
    """The action's form (ids unique on the page: id_<action>_<field>), bound to a refused
    post with the service's errors beside its fields."""
    act = ACTIONS.get(name)
    cls = act.form if act else None
    if cls is None:
        return None
    form = cls(data, auto_id=f"id_{name}_%s")
    if data is not None:
        form.is_valid()
        for field, message in (errors or {}).items():
            if field in form.fields and field in form.errors:
                continue  # the form's own message already says it
            form.add_error(field if field in form.fields else None, message)
    return form

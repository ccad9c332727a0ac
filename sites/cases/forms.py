"""Page forms of the case actions (rendered through deploy/_form.html; the services validate)
and the bounded field helpers every app's page forms use (`text`, `lines`, `number`).

Each action's form is named in its row of the action table (sites.cases.actions)."""

from __future__ import annotations

from django import forms

MESSAGES = {
    "required": "请填写此项。",
    "invalid": "格式不正确。",
    "invalid_choice": "请从列表中选择。",
    "max_length": "内容过长（最多 %(limit_value)d 个字）。",
    "min_value": "不能小于 %(limit_value)s。",
    "max_value": "不能大于 %(limit_value)s。",
    "invalid_list": "请从列表中选择。",
}
MAX_ID = 2**31 - 1  # a database id fits in 32 bits


def text(label: str, max_length: int = 200, *, required: bool = False, **kw) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, error_messages=MESSAGES, **kw
    )


def lines(label: str, max_length: int = 4000, **kw) -> forms.CharField:
    return text(label, max_length, widget=forms.Textarea(attrs={"rows": 3}), **kw)


def number(label: str, lo: int = 0, hi: int = MAX_ID, *, required: bool = False, **kw):
    return forms.IntegerField(
        label=label,
        min_value=lo,
        max_value=hi,
        required=required,
        error_messages=MESSAGES,
        **kw,
    )


class RefuseForm(forms.Form):
    reasons = lines("不予受理理由", required=True)


class SupplementForm(forms.Form):
    items = lines("需补正的材料（每行一项）", required=True)


class ExtendForm(forms.Form):
    days = number("延期工作日", 1, 365, required=True)
    reason = text("延期理由", required=True)


class ReturnForm(forms.Form):
    reason = text("退办理由", required=True)
    policy = text("政策依据")


class WithdrawForm(forms.Form):
    reason = text("撤回原因", required=True)


class NoteForm(forms.Form):
    note = text("说明")

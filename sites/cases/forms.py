"""Page forms of the case actions (rendered through deploy/_form.html; the services validate)
and the bounded field helpers every app's page forms use (`text`, `lines`, `number`, dates,
`ListQuery`) with the one conversion of a service's ValidationError for pages
(`service_errors`, `service_messages`).

Each action's form is named in its row of the action table (sites.cases.actions)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

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


EARLIEST = date(2000, 1, 1)  # no hall record is older; earlier dates are typing errors


def choice(label: str, choices, *, required: bool = False, **kw) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required, error_messages=MESSAGES, **kw
    )


class BoundedDateField(forms.DateField):
    """A date between 2000-01-01 and ten years from today (year 1 and 9999 are mistakes)."""

    default_error_messages = {"invalid": "请输入有效的日期，如 2026-03-01。"}

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= timezone.localdate() + timedelta(3650):
            raise ValidationError("日期超出可受理的范围。", code="range")
        return day


class BoundedDateTimeField(forms.DateTimeField):
    """A moment (Beijing time) between 2000-01-01 and now; 2026-02-30 is refused."""

    default_error_messages = {"invalid": "请输入有效的日期和时间，如 2026-03-01 09:00。"}

    def clean(self, value):
        moment = super().clean(value)
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        low = timezone.make_aware(datetime.combine(EARLIEST, datetime.min.time()))
        if moment < low:
            raise ValidationError("时间不能早于2000年。")
        if moment > timezone.now() + timedelta(minutes=1):
            raise ValidationError("时间不能晚于当前时间。")
        return moment


def problems(form: forms.Form) -> dict[str, str]:
    """A bound, invalid form's errors as {field: message} (the pages' existing shape)."""
    return {name: " ".join(errs) for name, errs in form.errors.items()}


def service_errors(exc: ValidationError) -> dict[str, str]:
    """A service's ValidationError as {field: message} for a page, the one conversion every
    page uses (ADR 0026); a message without a field comes under "general"."""
    if hasattr(exc, "error_dict"):
        return {k: " ".join(v) for k, v in exc.message_dict.items()}
    return {"general": " ".join(exc.messages)}


def service_messages(exc: ValidationError) -> list[str]:
    """The same, as a list of messages for a page that shows them in its summary only."""
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


class ListQuery(forms.Form):
    """?page= and ?size= of a paged list; bad values are shown as errors, not a 500."""

    page = number("页码", 1, 100_000)
    size = number("每页条数", 1, 100)

    def page_and_size(self, default_size: int) -> tuple[int, int]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("page") or 1, data.get("size") or default_size


# --- the workbench's own forms ---------------------------------------------------------


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

"""Page forms: every value a page reads from a request is cleaned here, bounded before it
reaches a query or a service (types, lengths, numbers, dates), with Chinese messages.

The shared pieces (`text`, `number`, `ListQuery`, `problems`) are used by the page views of
every hall app (sites/*, county/*); each app's own forms live next to its views."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from sites.cases.actions import ACTIONS
from sites.cases.forms import MAX_ID, MESSAGES, lines, number, text

__all__ = ["MAX_ID", "MESSAGES", "lines", "number", "text"]  # shared by every app's page forms

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

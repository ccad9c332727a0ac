"""The queue's citizen forms: 预约, 取消预约, 取号, 签到 (bounded before any query)."""

from __future__ import annotations

from django import forms

from sites.cases.forms import BoundedDateField, text


class BookingForm(forms.Form):
    department = text("办事部门", 20)
    day = BoundedDateField(label="日期", required=False)
    slot = text("时段", 40)
    phone = text("手机号码", 20)
    item = text("事项", 50)


class CodePhoneForm(forms.Form):
    """取消预约 and 签到: the booking code and the phone number it was made with."""

    code = text("预约码", 20)
    phone = text("手机号码", 20)


class TakeForm(forms.Form):
    department = text("办事部门", 20, required=True)


class KioskQuery(forms.Form):
    e = text("提示", 200)

    def data_or(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""

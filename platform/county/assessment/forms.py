"""考核 page forms: the period asked for, 日检查 and the county's entries, publishing."""

from __future__ import annotations

from django import forms

from sites.cases.forms import lines, number, text


class PeriodQuery(forms.Form):
    year = number("年", 2000, 2100)
    month = number("月", 1, 12)


class EntryForm(forms.Form):
    kind = text("类别", 20)
    window = number("窗口", 1, required=True)
    staff = number("工作人员", 1)
    rule = text("事项", 40)
    note = lines("说明", 2000)


class PublishForm(forms.Form):
    kind = text("发布", 10)

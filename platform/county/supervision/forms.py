"""电子监察 page forms: the dashboard's scope, the lists' filters, 督办 and its answer."""

from __future__ import annotations

from django import forms

from sites.cases.forms import EARLIEST, lines, number, text

EARLIEST_YEAR = EARLIEST.year  # a period before the halls kept records is a typing error


class ScopeQuery(forms.Form):
    site = text("站点", 40)
    kind = text("统计周期", 10)
    period = text("统计期", 10)
    by = text("分组", 20)
    level = text("级别", 20)
    state = text("状态", 20)

    def value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "") if self.is_valid() else ""

    def typed(self, name: str) -> str:
        """What was typed into a field, bounded, to show it again beside its error."""
        return str(self.data.get(name, ""))[: self.fields[name].max_length or 40]


class OrderForm(forms.Form):
    case = text("办件编号", 64)
    reason = lines("督办事由", 1000)
    days = number("答复时限(工作日)", 1, 30)


class AnswerForm(forms.Form):
    answer = lines("答复", 2000)

"""好差评 and 投诉 forms: the citizen's, the window pad's, the hall office's steps."""

from __future__ import annotations

from django import forms

from sites.workbench.forms import lines, number, text


class CitizenFeedbackForm(forms.Form):
    number = text("办件编号", 64)
    query_code = text("查询码", 32)
    action = text("操作", 20)
    level = text("评价", 20)
    comment = lines("意见", 1000)
    content = lines("投诉内容", 2000)


class RatingForm(forms.Form):
    level = text("评价", 20)
    comment = lines("意见", 1000)


class StepForm(forms.Form):
    """督查室's step on a rating or a complaint; `window`: the window appealing."""

    step = text("环节", 30)
    upheld = text("是否属实", 5)
    window = number("窗口", 1)
    text = lines("说明", 2000)  # last: the name shadows the helper inside this class


def cleaned(form: forms.Form) -> dict:
    """A form's values, or every field empty when any is out of bounds: the service then
    answers with its own message (a missing choice or text), never a 500."""
    if form.is_valid():
        return form.cleaned_data
    return {
        name: None if isinstance(f, forms.IntegerField) else "" for name, f in form.fields.items()
    }

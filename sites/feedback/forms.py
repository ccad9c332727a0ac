"""好差评 and 投诉 forms: the citizen's, the window pad's, the hall office's steps."""

from __future__ import annotations

from django import forms

from sites.cases.forms import MESSAGES, lines, number, text

FINDINGS = [("yes", "经查证属实"), ("no", "经查证不属实")]


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


class RatingVerifyForm(forms.Form):
    """回访核实 of a bad rating (seed 000 第十三条(六), 第二十一条(三))."""

    upheld = forms.ChoiceField(
        label="核实结论",
        choices=FINDINGS,
        widget=forms.RadioSelect,
        error_messages=MESSAGES,
        help_text="经查证属实：窗口扣 10 分。",
    )
    staff_fault = forms.BooleanField(
        label="属窗口工作人员本人责任",
        required=False,
        help_text="工作人员扣 2 分；仅在经查证属实时可选。",
    )
    note = lines("核实情况", 300, required=True)


class ComplaintAssignForm(forms.Form):
    """交办 to the department complained about: nothing to type, the deadline is the rule's."""

    action = forms.CharField(widget=forms.HiddenInput, initial="assign")


class DepartmentAnswerForm(forms.Form):
    """The department's 办结答复 to a complaint handed to it."""

    action = forms.CharField(widget=forms.HiddenInput, initial="answer")
    answer = lines("部门答复", 1000, required=True)


class ComplaintFindingForm(forms.Form):
    """处置: 查实 of a complaint under investigation (seed 000 第十三条(六), 第二十一条(一))."""

    action = forms.CharField(widget=forms.HiddenInput, initial="dispose")
    upheld = forms.ChoiceField(
        label="核实结论", choices=FINDINGS, widget=forms.RadioSelect, error_messages=MESSAGES
    )
    serious = forms.BooleanField(
        label="情节严重(工作态度)",
        required=False,
        help_text="属实时：窗口扣 10 分，被投诉人扣 3 分，情节严重扣 5 分。",
    )
    disposal = lines("处置意见", 1000, required=True)


def cleaned(form: forms.Form) -> dict:
    """A form's values, or every field empty when any is out of bounds: the service then
    answers with its own message (a missing choice or text), never a 500."""
    if form.is_valid():
        return form.cleaned_data
    return {
        name: None if isinstance(f, forms.IntegerField) else "" for name, f in form.fields.items()
    }


class ComplaintActionForm(forms.Form):
    """Which of the complaint page's forms was sent (交办, 部门答复, 查实)."""

    action = forms.CharField(max_length=20, required=False)

    def action_name(self) -> str:
        return self.cleaned_data.get("action", "") if self.is_valid() else ""

"""网上申报's forms: the applicant's fields (files are checked by the service) and the query."""

from __future__ import annotations

from django import forms

from sites.cases.forms import lines, text


class Unfilled(forms.TextInput):
    """A field shown empty again after a refusal (the ID number is not echoed back)."""

    def format_value(self, value):
        return None


class ApplyForm(forms.Form):
    applicant_name = text("姓名", 50, widget=forms.TextInput(attrs={"required": True}))
    applicant_id_number = text(
        "身份证号", 18, widget=Unfilled(attrs={"required": True, "autocomplete": "off"})
    )
    applicant_phone = text(
        "联系电话", 20, widget=forms.TextInput(attrs={"required": True, "inputmode": "numeric"})
    )
    note = lines("申请说明", 2000)

    def refusal_show(self, errors: dict) -> None:
        """The service's {field: message} beside the fields (the form's own already are)."""
        for field, message in errors.items():
            if field in self.fields and field in self.errors:
                continue
            self.add_error(field if field in self.fields else None, message)


class StatusForm(forms.Form):
    number = text("申报编号", 40)
    code = text("查询码", 16)

    def pair(self) -> tuple[str, str]:
        return self.cleaned_data["number"].strip(), self.cleaned_data["code"].strip()

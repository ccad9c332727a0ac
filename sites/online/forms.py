"""网上申报's forms: the applicant's fields (files are checked by the service) and the query."""

from __future__ import annotations

from django import forms

from sites.workbench.forms import lines, text


class ApplyForm(forms.Form):
    applicant_name = text("申请人姓名", 50)
    applicant_id_number = text("身份证号", 18)
    applicant_phone = text("联系电话", 20)
    note = lines("备注", 2000)


class StatusForm(forms.Form):
    number = text("申报编号", 40)
    code = text("查询码", 16)

    def pair(self) -> tuple[str, str]:
        return self.cleaned_data["number"].strip(), self.cleaned_data["code"].strip()

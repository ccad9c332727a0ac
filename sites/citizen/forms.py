"""The citizen's query form: the case number and the query code from the notice."""

from __future__ import annotations

from django import forms

from sites.cases.forms import text


class CaseQueryForm(forms.Form):
    number = text("办件编号", 64)
    query_code = text("查询码", 32)

    def pair(self) -> tuple[str, str]:
        """(number, code), stripped; ("", "") for values too long to be real (no answer)."""
        if not self.is_valid():
            return "", ""
        return self.cleaned_data["number"].strip(), self.cleaned_data["query_code"].strip()

from django import forms

from sites.notify.kinds import KINDS
from sites.notify.models import Status


class LogQuery(forms.Form):
    """The 短信记录 page's filter (GET)."""

    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *Status.choices]
    )
    kind = forms.ChoiceField(
        label="类型",
        required=False,
        choices=[("", "全部")] + [(k.name, k.label) for k in KINDS.values()],
    )
    page = forms.IntegerField(
        label="页码", required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput
    )

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None

"""办事指南's query: the search words and the kiosk switch."""

from __future__ import annotations

from django import forms

from sites.cases.forms import text


class GuideQuery(forms.Form):
    q = text("搜索事项", 50)
    kiosk = text("取号机模式", 1)

    def value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "").strip() if self.is_valid() else ""

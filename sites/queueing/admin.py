"""The window in the admin, with its 综合窗口 departments (a queueing rule per hall)."""

from django import forms
from django.contrib import admin

from county.rules.selectors import rule_value
from sites.registry.models import Window


class WindowForm(forms.ModelForm):
    """综合窗口: the other departments, as far as the hall's rule allows (the rule is
    queueing.combined_windows; sites.queueing.services.window_departments_set asks the same)."""

    class Meta:
        model = Window
        fields = ["site", "number", "name", "department", "departments"]

    def clean(self):
        data = super().clean()
        site, own = data.get("site"), data.get("department")
        extra = [d for d in data.get("departments") or [] if d != own]
        if site is None or not extra:
            return data
        rule = rule_value("queueing.combined_windows", scopes=(f"site:{site.code}",))
        if not rule["allowed"]:
            self.add_error("departments", "本大厅不设综合窗口。")
        elif len(extra) + 1 > int(rule["max_departments"]):
            self.add_error("departments", f"综合窗口最多兼办{rule['max_departments']}个部门。")
        return data


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    form = WindowForm
    list_display = ["site", "number", "name", "department"]
    list_filter = ["site", "department"]
    filter_horizontal = ["departments"]

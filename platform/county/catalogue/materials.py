"""申报材料 in the item form: one row per material (name, 可容缺, 补交期限), not raw JSON.

The rows post as materials-<i>-name / -deferrable / -defer_days; blank rows are dropped and
a few empty ones are always offered for new materials. The service (check_version_fields)
still checks the list as a whole."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

BLANK_ROWS = 3


class MaterialsWidget(forms.Widget):
    template_name = "county/materials_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [dict(m) for m in (value if isinstance(value, list) else [])]
        rows += [{"name": "", "deferrable": False, "defer_days": 0}] * BLANK_ROWS
        context["widget"]["rows"] = rows
        return context

    def value_from_datadict(self, data, files, name):
        count = 0
        while f"{name}-{count}-name" in data:
            count += 1
        return [
            {
                "name": (data.get(f"{name}-{i}-name") or "").strip(),
                "deferrable": data.get(f"{name}-{i}-deferrable") in ("on", "true", "1"),
                "defer_days": (data.get(f"{name}-{i}-defer_days") or "").strip(),
            }
            for i in range(count)
        ]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-0-name" not in data


class MaterialsField(forms.Field):
    widget = MaterialsWidget

    def to_python(self, value):
        rows, problems = [], []
        for row in value or []:
            if not row.get("name"):
                continue
            days = row.get("defer_days") or 0
            try:
                days = int(days)
            except (TypeError, ValueError):
                problems.append(f"“{row['name']}”的补交期限须为整数个工作日。")
                continue
            if not row.get("deferrable"):
                days = 0
            elif days < 1:
                problems.append(f"“{row['name']}”可容缺时须填写补交期限(工作日)。")
            rows.append(
                {"name": row["name"], "deferrable": bool(row.get("deferrable")), "defer_days": days}
            )
        names = [r["name"] for r in rows]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            problems.append(f"材料重复：{'、'.join(twice)}。")
        if problems:
            raise ValidationError(problems)
        return rows

    def validate(self, value):
        if self.required and not value:
            raise ValidationError("请至少填写一项申报材料。")

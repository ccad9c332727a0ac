from django import template

register = template.Library()


@register.filter
def cell(row: dict, key: str) -> str:
    """A figure for a table cell: rates as percentages, days with two decimals, — for none."""
    value = row.get(key)
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@register.filter
def get(mapping: dict, key):
    return mapping.get(key, key)

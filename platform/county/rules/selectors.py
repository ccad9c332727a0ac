"""Reading rules at any hall: the county's released value over the seeds' defaults."""

from __future__ import annotations

from county.rules.models import COUNTY_SCOPE, Rule
from county.rules.registry import rule_spec


def rule_value(key: str, *, scopes: tuple[str, ...] = ()) -> dict:
    """The value in force for the first of `scopes` that is set, else the county-wide one,
    each field falling back to the registered default (a field added later has a value)."""
    spec = rule_spec(key)
    wanted = [*scopes, COUNTY_SCOPE]
    rows = {r.scope: r.value for r in Rule.objects.filter(key=key, scope__in=wanted)}
    stored = next((rows[s] for s in wanted if s in rows), {})
    return {name: stored.get(name, default) for name, default in spec.default.items()}


def rule_values(key: str) -> dict[str, dict]:
    """Every scope set for `key` (county-wide under ""), for pages and reports."""
    spec = rule_spec(key)
    out = {COUNTY_SCOPE: dict(spec.default)}
    for row in Rule.objects.filter(key=key).order_by("scope"):
        out[row.scope] = {n: row.value.get(n, d) for n, d in spec.default.items()}
    return out

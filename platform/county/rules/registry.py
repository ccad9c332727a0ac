"""What rules exist: each feature registers its own with the seeds' values as defaults.

    SUPERVISION = rule_register(
        key="supervision.thresholds",
        label="电子监察预警规则",
        default={"warning_share": 0.8},
        labels={"warning_share": "预警阈值(占时限比例)"},
        source="seed 001 第三十条",
    )

Values are flat: each field keeps the type of its default (int, float, str, bool).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Scalar = int | float | str | bool


@dataclass(frozen=True)
class RuleSpec:
    key: str
    label: str
    default: dict[str, Scalar]
    labels: dict[str, str] = field(default_factory=dict)
    source: str = ""  # where the default comes from (a seed and its article)
    check: Callable[[dict], None] | None = None  # raises ValidationError for a bad whole


_RULES: dict[str, RuleSpec] = {}


def rule_register(
    *,
    key: str,
    label: str,
    default: dict[str, Scalar],
    labels: dict[str, str] | None = None,
    source: str = "",
    check: Callable[[dict], None] | None = None,
) -> RuleSpec:
    for name, value in default.items():
        if not isinstance(value, Scalar):
            raise TypeError(f"rule {key}: {name} must be a number, text or switch")
    spec = RuleSpec(key, label, dict(default), dict(labels or {}), source, check)
    existing = _RULES.get(key)
    if existing is not None and existing != spec:
        raise ValueError(f"rule {key} registered twice with different definitions")
    _RULES[key] = spec
    return spec


def rule_spec(key: str) -> RuleSpec:
    try:
        return _RULES[key]
    except KeyError:
        raise LookupError(f"no rule {key!r} is registered") from None


def rule_specs() -> list[RuleSpec]:
    return sorted(_RULES.values(), key=lambda s: s.key)

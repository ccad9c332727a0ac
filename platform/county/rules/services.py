"""Editing rules: at the county only, by those who keep the catalogue and rules; each edit is
kept (RuleChange) and reaches every hall with the next catalogue release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from county.catalogue.release import catalogue_change, catalogue_changed
from county.catalogue.services import catalogue_write_check
from county.rules.models import COUNTY_SCOPE, Rule, RuleChange
from county.rules.registry import RuleSpec, rule_spec

SCOPE_KINDS = ("item", "department", "site")


def _coerce(spec: RuleSpec, name: str, raw) -> object:
    default = spec.default[name]
    label = spec.labels.get(name, name)
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                return raw.strip().lower() in {"1", "true", "on", "yes", "是"}
            return bool(raw)
        if isinstance(default, int):
            if isinstance(raw, float) and not raw.is_integer():
                raise ValueError
            value = int(str(raw).strip()) if isinstance(raw, str) else int(raw)
            if not -2_147_483_648 <= value <= 2_147_483_647:
                raise ValueError
            return value
        if isinstance(default, float):
            value = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError
            return value
    except (TypeError, ValueError):
        kind = "整数" if isinstance(default, int) else "数字"
        raise ValidationError({name: f"{label}应为{kind}"}) from None
    text = str(raw)
    if len(text) > 200 or "\x00" in text:
        raise ValidationError({name: f"{label}过长或含有非法字符"})
    return text


def rule_clean(*, key: str, value: dict) -> dict:
    """Only the registered fields, each of its default's type; then the rule's own check."""
    spec = rule_spec(key)
    if not isinstance(value, dict):
        raise ValidationError("规则取值应为各项的取值")
    unknown = sorted(set(value) - set(spec.default))
    if unknown:
        raise ValidationError(f"规则「{spec.label}」没有这些项：{'、'.join(unknown)}")
    clean = {n: _coerce(spec, n, value[n]) for n in spec.default if n in value}
    if spec.check is not None:
        spec.check({**spec.default, **clean})
    return clean


def _scope_check(scope: str) -> None:
    if scope == COUNTY_SCOPE:
        return
    kind, _, code = scope.partition(":")
    if kind not in SCOPE_KINDS or not code or len(scope) > 60:
        raise ValidationError({"scope": "适用范围应为全县，或 item:/department:/site: 加编码"})


@transaction.atomic
def rule_set(*, key: str, value: dict, by, scope: str = COUNTY_SCOPE, note: str = "") -> Rule:
    """Set the value of `key` for `scope` (the county-wide one by default)."""
    catalogue_write_check(by=by)
    _scope_check(scope)
    clean = rule_clean(key=key, value=value)
    with catalogue_change():
        row = Rule.objects.select_for_update().filter(key=key, scope=scope).first()
        if row is not None and row.value == clean:
            return row  # nothing changed: no release
        now = timezone.now()
        who = getattr(by, "username", "") if by is not None else "system"
        row = row or Rule(key=key, scope=scope, revision=0)
        row.value, row.revision = clean, row.revision + 1
        row.changed_at, row.changed_by, row.note = now, who, note[:200]
        row.save()
        RuleChange.objects.create(
            key=key,
            scope=scope,
            revision=row.revision,
            value=clean,
            changed_at=now,
            changed_by=who,
            note=row.note,
        )
        catalogue_changed()
    return row

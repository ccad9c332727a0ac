"""What a catalogue release carries of the rules, and how a hall takes it in (no import of the
release itself: the release imports this)."""

from __future__ import annotations

from django.utils import timezone

from county.rules.models import Rule


def rules_payload() -> list[dict]:
    """What a catalogue release carries: every rule set at the county (they are few)."""
    return [
        {"key": r.key, "scope": r.scope, "revision": r.revision, "value": r.value}
        for r in Rule.objects.order_by("key", "scope")
    ]


def rules_apply(rows: list[dict]) -> None:
    """Site: take the county's rules as released (a rule no longer set is removed)."""
    now = timezone.now()
    keep = set()
    for row in rows:
        keep.add((row["key"], row["scope"]))
        Rule.objects.update_or_create(
            key=row["key"],
            scope=row["scope"],
            defaults={"value": row["value"], "revision": row["revision"], "changed_at": now},
        )
    for rule in Rule.objects.all():
        if (rule.key, rule.scope) not in keep:
            rule.delete()

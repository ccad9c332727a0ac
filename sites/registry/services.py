"""Writes to the site registry."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from sites.registry.models import Department, Site, Window
from sites.registry.tree import load_tree

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def site_tree_load() -> int:
    """Create or update every site of the configured tree (parents first)."""
    count = 0
    for spec in load_tree().values():  # the file lists parents before children
        parent = Site.objects.get(code=spec.parent) if spec.parent else None
        site, _ = Site.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "tier": spec.tier, "parent": parent}
        )
        site.name, site.tier, site.parent = spec.name, spec.tier, parent
        site.full_clean()
        site.save()
        count += 1
    return count


@transaction.atomic
def departments_load() -> int:
    rows = json.loads((DATA / "departments.json").read_text(encoding="utf-8"))["departments"]
    for row in rows:
        Department.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})
    return len(rows)


def window_open(*, site: Site, department: Department, number: str, name: str = "") -> Window:
    window, _ = Window.objects.get_or_create(
        site=site,
        number=number,
        defaults={"department": department, "name": name or department.name},
    )
    return window

"""The sample catalogue of the demo: realistic items across departments, with delegations."""

from __future__ import annotations

import json
from pathlib import Path

from county.catalogue.models import Item
from county.catalogue.release import catalogue_change
from county.catalogue.services import delegation_grant, item_create
from sites.registry.models import Site

SAMPLE = Path(__file__).resolve().parent / "data" / "sample_catalogue.json"


@catalogue_change()  # the whole sample is one release
def catalogue_load_sample() -> int:
    """Publish every sample item not yet in the catalogue; returns how many were added."""
    rows = json.loads(SAMPLE.read_text(encoding="utf-8"))["items"]
    sites = {s.code: s for s in Site.objects.all()}
    added = 0
    for row in rows:
        row = dict(row)
        delegations = row.pop("delegations")
        if Item.objects.filter(code=row["code"]).exists():
            continue
        version = item_create(change_note="示例目录", **row)
        for code, mode in delegations.items():
            if code in sites:
                delegation_grant(item=version.item, site=sites[code], mode=mode)
        added += 1
    return added

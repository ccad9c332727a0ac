"""Catalogue releases: the county cuts numbered releases; each site applies what applies to it.

A release is cut in the transaction of the change that causes it (an item version published,
a delegation granted or withdrawn, the calendar edited): every catalogue write runs inside
`catalogue_change()`, and the outermost one cuts one release just before its block ends, so
a transaction that makes several edits inside one `catalogue_change()` cuts once. No polling:
a rolled-back edit leaves no release and no outbox row. See docs/decisions/0010.

A release message carries `base` and `release`: the item versions added after release `base`
(versions are immutable and append-only), the site's own delegations (all, so a withdrawal
arrives), the calendar when it changed since `base`, and the site tree. A site applies it
when base <= applied < release, atomically in its inbox transaction; when it finds a gap
(base > applied) it asks the county to re-send from what it has. A new node asks at start.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from county.catalogue.carried import version_data, version_values
from county.catalogue.models import Delegation, Item, ItemVersion
from sites.registry.models import Department, Site, Tier
from sites.registry.tier import here
from sites.registry.tree import load_tree
from sync.api import outbox_put
from sync.models import CatalogueRelease, SyncCounter

RELEASE = "catalogue.release"
RESEND = "catalogue.resend"
APPLIED = "catalogue_release"
ASKED = "catalogue_resend_asked"
RELEASE_LOCK = 0x4C52_454C  # any constant shared by every process of the county


class NotAuthoring(PermissionDenied):
    """Only the county authors the catalogue (a 403 wherever a view lets it through)."""


NOT_AUTHORING = "只有县政务服务中心维护事项目录，本站点只接收目录发布。"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()


# --- the parts other county apps author -----------------------------------------------------


@dataclass(frozen=True)
class ReleasePart:
    """What a release carries for another county app (the rules, the calendar, the halls'
    keys): how to write it and how a site applies it. `fingerprint`: carried only when it
    changed since the release's base (the calendar; stored as the release's
    calendar_fingerprint). Registered by each app in its apps.py, so the catalogue imports
    none of them (docs/decisions/0025-layers.md)."""

    payload: Callable[[], object]
    apply: Callable[[object], None]
    fingerprint: Callable[[], str] | None = None


_parts: dict[str, ReleasePart] = {}


def release_part(key: str, part: ReleasePart) -> None:
    """Register the part carried under `key` in every release (at start-up, apps.py)."""
    _parts[key] = part


def calendar_fingerprint() -> str:
    """Tells a release whether the calendar changed since its base (then it carries it)."""
    prints = [p.fingerprint() for p in _parts.values() if p.fingerprint is not None]
    return prints[0] if len(prints) == 1 else _digest(prints)


def county_code() -> str:
    return next(code for code, spec in load_tree().items() if spec.tier == Tier.COUNTY)


# -- county: cutting ------------------------------------------------------------------


class _Depth(threading.local):
    value = 0
    dirty = False  # something changed inside the outermost block


_depth = _Depth()


def _serialise_catalogue_writes() -> None:
    """Catalogue writes one at a time, from their first statement to commit: a release
    bounds its versions by id, so a version must not commit after a release that a later
    id already went into. PostgreSQL: an advisory lock held to the end of the transaction;
    SQLite: BEGIN IMMEDIATE already serialises writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELEASE_LOCK])


@contextmanager
def catalogue_change() -> Iterator[None]:
    """Wrap every catalogue write: at the county only, serialised, and the outermost block
    cuts one release before it ends (in the same transaction) if anything inside it called
    `catalogue_changed()` (a restart that re-seeds what is already there cuts nothing)."""
    if not here().authors_catalogue:
        raise NotAuthoring(NOT_AUTHORING)
    with transaction.atomic():
        if _depth.value == 0:
            _serialise_catalogue_writes()
            _depth.dirty = False
        _depth.value += 1
        try:
            yield
        finally:
            _depth.value -= 1
        if _depth.value == 0 and _depth.dirty:
            _depth.dirty = False
            catalogue_release_cut()


def catalogue_changed() -> None:
    """Called by a write that changed what the halls receive, inside `catalogue_change()`."""
    if _depth.value == 0:
        raise RuntimeError("catalogue_changed() outside catalogue_change()")
    _depth.dirty = True


def release_payload(*, site: str, base: int, upto: CatalogueRelease) -> dict:
    base_row = CatalogueRelease.objects.filter(number=base).first() if base else None
    low = base_row.max_version_id if base_row else 0
    versions = (
        ItemVersion.objects.filter(id__gt=low, id__lte=upto.max_version_id)
        .select_related("item", "department")
        .prefetch_related("co_departments")
        .order_by("id")
    )
    payload = {
        "base": base_row.number if base_row else 0,
        "release": upto.number,
        "sites": [vars(spec) for spec in load_tree().values()],
        "versions": [version_data(v) for v in versions],
        "delegations": [
            {
                "uid": str(d.uid),
                "item": d.item.code,
                "mode": d.mode,
                "granted_at": d.granted_at.isoformat(),
                "withdrawn_at": d.withdrawn_at.isoformat() if d.withdrawn_at else None,
                "note": d.note,
            }
            for d in Delegation.objects.filter(site__code=site).select_related("item")
        ],
    }
    # the rules and every hall's public keys (ADR 0012; small, so every release carries them
    # all); the calendar when it changed since base
    changed = base_row is None or base_row.calendar_fingerprint != upto.calendar_fingerprint
    for key, part in _parts.items():
        if part.fingerprint is None or changed:
            payload[key] = part.payload()
    return payload


@transaction.atomic
def catalogue_release_cut() -> CatalogueRelease:
    """County: cut release N+1 of what is in this transaction; send it to every site."""
    if not here().authors_catalogue:
        raise NotAuthoring(NOT_AUTHORING)
    _serialise_catalogue_writes()
    last = CatalogueRelease.objects.select_for_update().order_by("-number").first()
    release = CatalogueRelease.objects.create(
        number=(last.number if last else 0) + 1,
        max_version_id=ItemVersion.objects.aggregate(m=Max("id"))["m"] or 0,
        fingerprint="",  # releases are cut by the change itself, not found by comparing
        calendar_fingerprint=calendar_fingerprint(),
    )
    for code, spec in load_tree().items():
        if spec.tier != Tier.COUNTY:
            payload = release_payload(site=code, base=last.number if last else 0, upto=release)
            outbox_put(type=RELEASE, aggregate="", payload=payload, dest=code)
    # the county's own catalogue version, as `sync-status` shows it (目录版本) at every hall
    SyncCounter.objects.update_or_create(name=APPLIED, defaults={"value": release.number})
    return release


@transaction.atomic
def catalogue_resend(*, site: str, since: int) -> None:
    """County: send `site` everything after release `since`, up to the latest (a fresh
    county with nothing released yet cuts release 1 of what it has)."""
    latest = CatalogueRelease.objects.order_by("-number").first() or catalogue_release_cut()
    payload = release_payload(site=site, base=since, upto=latest)
    outbox_put(type=RELEASE, aggregate="", payload=payload, dest=site)


# -- sites: applying ------------------------------------------------------------------


def applied_release() -> int:
    row = SyncCounter.objects.filter(name=APPLIED).first()
    return row.value if row else 0


def catalogue_resend_request(*, since: int, force: bool = False) -> bool:
    """Site: ask the county for the releases after `since` (at most once a minute)."""
    if here().authors_catalogue:
        return False
    with transaction.atomic():
        asked = SyncCounter.objects.select_for_update().filter(name=ASKED).first()
        recent = asked and asked.updated_at > timezone.now() - timedelta(seconds=60)
        if asked and asked.value == since and recent and not force:
            return False
        SyncCounter.objects.update_or_create(name=ASKED, defaults={"value": since})
        outbox_put(type=RESEND, aggregate="", payload={"since": since}, dest=county_code())
    return True


def catalogue_ask_at_start() -> None:
    """Consumer start (HALL_SYNC_CONSUMER_START): a site without any release asks for all."""
    if not here().authors_catalogue and applied_release() == 0:
        catalogue_resend_request(since=0)


def catalogue_apply(*, payload: dict) -> bool:
    """Site: apply one release inside the inbox transaction; False when it cannot yet."""
    applied = applied_release()
    base, number = int(payload["base"]), int(payload["release"])
    if number <= applied:
        return True  # already have it
    if base > applied:
        catalogue_resend_request(since=applied)
        return False
    _apply_sites(payload["sites"])
    _apply_versions(payload["versions"])
    _apply_delegations(payload["delegations"])
    for key, part in _parts.items():  # releases cut before a part existed carry none
        if key in payload:
            part.apply(payload[key])
    SyncCounter.objects.update_or_create(name=APPLIED, defaults={"value": number})
    return True


def _apply_sites(rows: list[dict]) -> None:
    for row in rows:  # parents come first in the tree file
        parent = Site.objects.get(code=row["parent"]) if row["parent"] else None
        site = Site.objects.filter(code=row["code"]).first() or Site(code=row["code"])
        site.name, site.tier, site.parent = row["name"], row["tier"], parent
        site.save()


def _apply_versions(rows: list[dict]) -> None:
    departments = {d.code: d for d in Department.objects.all()}
    for row in rows:
        code, number = row["code"], row["number"]
        dept = departments[row["department"]]
        co = [departments[c] for c in row["co_departments"]]
        item, _ = Item.objects.get_or_create(code=code, defaults={"department": dept})
        if not ItemVersion.objects.filter(item=item, number=number).exists():
            version = ItemVersion.objects.create(
                item=item, number=number, department=dept, **version_values(row)
            )
            version.co_departments.set(co)
        if number > item.current_version:
            item.current_version, item.department = number, dept
            item.save(update_fields=["current_version", "department"])


def _apply_delegations(rows: list[dict]) -> None:
    here = Site.objects.get(code=settings.HALL_SITE)
    items = {i.code: i for i in Item.objects.filter(code__in={r["item"] for r in rows})}
    # Withdrawals first: a re-grant of the same item must not meet the old active one.
    for row in sorted(rows, key=lambda r: r["withdrawn_at"] is None):
        Delegation.objects.update_or_create(
            uid=row["uid"],
            defaults={
                "item": items[row["item"]],
                "site": here,
                "mode": row["mode"],
                "withdrawn_at": row["withdrawn_at"],
                "note": row["note"],
            },
        )
        Delegation.objects.filter(uid=row["uid"]).update(granted_at=row["granted_at"])

"""Catalogue fan-out: the county cuts numbered releases; each site applies what applies to it.

A release message carries `base` and `release`: the item versions added after release
`base` (versions are immutable and append-only), the site's own delegations (all, so a
withdrawal arrives), the calendar when it changed since `base`, and the site tree. A site
applies it when base <= applied < release, atomically in its inbox transaction; when it
finds a gap (base > applied) it asks the county to re-send from what it has. A new node
asks at its first start.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from county.catalogue.models import Delegation, Item, ItemVersion
from county.workdays.models import CalendarDay, CalendarYear
from sites.registry.models import Department, Site
from sites.registry.tree import load_tree
from sync.models import CatalogueRelease, SyncCounter
from sync.outbox import outbox_put

RELEASE = "catalogue.release"
RESEND = "catalogue.resend"
APPLIED = "catalogue_release"
ASKED = "catalogue_resend_asked"
COUNTY = "county"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()


def fingerprints() -> tuple[str, str]:
    """(catalogue, calendar) fingerprints: cheap aggregates that change with any edit."""
    cat = [
        ItemVersion.objects.aggregate(n=Count("id"), m=Max("id")),
        Delegation.objects.aggregate(n=Count("id"), g=Max("granted_at"), w=Max("withdrawn_at")),
        Delegation.objects.filter(withdrawn_at__isnull=False).count(),
    ]
    cal = [
        CalendarYear.objects.aggregate(n=Count("id"), u=Max("updated_at")),
        CalendarDay.objects.count(),
    ]
    return _digest(cat), _digest(cal)


# -- county ---------------------------------------------------------------------------


def _version_data(v: ItemVersion) -> dict:
    return {
        "code": v.item.code,
        "number": v.number,
        "department": v.department.code,
        "co_departments": sorted(d.code for d in v.co_departments.all()),
        "name": v.name,
        "kind": v.kind,
        "handling_type": v.handling_type,
        "legal_limit_days": v.legal_limit_days,
        "promised_limit_days": v.promised_limit_days,
        "fees": v.fees,
        "legal_basis": v.legal_basis,
        "content": v.content,
        "procedure": v.procedure,
        "materials": v.materials,
        "part_limit_days": v.part_limit_days,
        "change_note": v.change_note,
    }


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
        "versions": [_version_data(v) for v in versions],
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
    if base_row is None or base_row.calendar_fingerprint != upto.calendar_fingerprint:
        payload["calendar"] = [
            {
                "year": y.year,
                "source": y.source,
                "notice": y.notice,
                "days": [[d.date.isoformat(), d.kind, d.name] for d in y.days.all()],
            }
            for y in CalendarYear.objects.prefetch_related("days").order_by("year")
        ]
    return payload


RELEASE_LOCK = 0x4C52_454C  # any constant shared by every process of the county


def _one_cut_at_a_time() -> None:
    """The relay's periodic cut and a cut asked for by hand may run at once; locking the
    last release row does not help before the first release exists. PostgreSQL: an advisory
    lock held to the end of the transaction; SQLite: BEGIN IMMEDIATE already serialises."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RELEASE_LOCK])


@transaction.atomic
def catalogue_release_cut(*, force: bool = False) -> CatalogueRelease | None:
    """County: cut release N+1 when the catalogue or calendar changed; send it to every site."""
    if settings.HALL_TIER != "county":
        raise RuntimeError("only the county releases the catalogue")
    _one_cut_at_a_time()
    cat, cal = fingerprints()
    last = CatalogueRelease.objects.select_for_update().order_by("-number").first()
    if last and not force and (last.fingerprint, last.calendar_fingerprint) == (cat, cal):
        return None
    release = CatalogueRelease.objects.create(
        number=(last.number if last else 0) + 1,
        max_version_id=ItemVersion.objects.aggregate(m=Max("id"))["m"] or 0,
        fingerprint=cat,
        calendar_fingerprint=cal,
    )
    for code in load_tree():
        if code != COUNTY:
            payload = release_payload(site=code, base=last.number if last else 0, upto=release)
            outbox_put(type=RELEASE, aggregate="", payload=payload, dest=code)
    return release


@transaction.atomic
def catalogue_resend(*, site: str, since: int) -> None:
    """County: send `site` everything after release `since`, up to the latest."""
    latest = CatalogueRelease.objects.order_by("-number").first() or catalogue_release_cut(
        force=True
    )
    payload = release_payload(site=site, base=since, upto=latest)
    outbox_put(type=RELEASE, aggregate="", payload=payload, dest=site)


# -- sites ----------------------------------------------------------------------------


def applied_release() -> int:
    row = SyncCounter.objects.filter(name=APPLIED).first()
    return row.value if row else 0


def catalogue_resend_request(*, since: int, force: bool = False) -> bool:
    """Site: ask the county for the releases after `since` (at most once a minute)."""
    if settings.HALL_TIER == "county":
        return False
    with transaction.atomic():
        asked = SyncCounter.objects.select_for_update().filter(name=ASKED).first()
        recent = asked and asked.updated_at > timezone.now() - timedelta(seconds=60)
        if asked and asked.value == since and recent and not force:
            return False
        SyncCounter.objects.update_or_create(name=ASKED, defaults={"value": since})
        outbox_put(type=RESEND, aggregate="", payload={"since": since}, dest=COUNTY)
    return True


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
    if "calendar" in payload:
        _apply_calendar(payload["calendar"])
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
        data = dict(row)
        code, number = data.pop("code"), data.pop("number")
        dept = departments[data.pop("department")]
        co = [departments[c] for c in data.pop("co_departments")]
        item, _ = Item.objects.get_or_create(code=code, defaults={"department": dept})
        if not ItemVersion.objects.filter(item=item, number=number).exists():
            version = ItemVersion.objects.create(item=item, number=number, department=dept, **data)
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


def _apply_calendar(rows: list[dict]) -> None:
    for row in rows:
        year, _ = CalendarYear.objects.update_or_create(
            year=row["year"], defaults={"source": row["source"], "notice": row["notice"]}
        )
        year.days.all().delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(year=year, date=d, kind=k, name=n) for d, k, n in row["days"]]
        )

"""Enrolling and rotating the halls' public keys (county) and applying them (every hall).

The county writes keys inside `catalogue_change()`: a change cuts a release, which carries
every hall's keys to every hall (county/catalogue/release.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from county.catalogue.release import catalogue_change, catalogue_changed
from county.hallkeys.models import HallKey
from sync.api import Reject, certificate_valid, keys_changed, kid_of, pinned_keys
from sync.config import site_codes


def _public(public_key: str) -> bytes:
    try:
        public = bytes.fromhex(public_key)
    except ValueError:
        public = b""
    if len(public) != 32:
        raise ValueError("公钥应为 32 字节的 Ed25519 公钥(64 位十六进制)")
    return public


def hall_key_enrol(*, site: str, public_key: str) -> bool:
    """County: `public_key` becomes `site`'s only key (a first installation, or a hall whose
    key was lost or exposed: its old keys stop at once). False when it already was."""
    if site not in site_codes():
        raise ValueError(f"未知站点 {site}")
    kid = kid_of(_public(public_key))
    with catalogue_change():
        keys = list(HallKey.objects.filter(site=site))
        if [(k.kid, k.valid_until) for k in keys] == [(kid, None)]:
            return False
        HallKey.objects.filter(site=site).delete()
        HallKey.objects.create(site=site, kid=kid, public_key=public_key)
        catalogue_changed()
    keys_changed()
    return True


def hall_keys_enrol_pinned() -> list[str]:
    """County: enrol the pinned public keys (HALL_SYNC_TRUST_DIR) of halls with no key yet.
    The folder is the county administrator's decision, like ssh's authorized_keys."""
    known = set(HallKey.objects.values_list("site", flat=True))
    done = []
    with catalogue_change():
        for site, public_key in pinned_keys().items():
            if site not in known and hall_key_enrol(site=site, public_key=public_key):
                done.append(site)
    return done


@transaction.atomic
def hall_key_rotated(*, site: str, public_key: str, by_kid: str, signature: str) -> bool:
    """County: `site` announced a new key certified by one of its accepted keys. The new
    key becomes current; the previous stays accepted for the grace period."""
    public = _public(public_key)
    try:
        sig = bytes.fromhex(signature)
    except ValueError:
        sig = b""
    if not certificate_valid(site=site, public=public, by_kid=by_kid, signature=sig):
        raise Reject(f"新公钥的证书无效: {site} {by_kid}")
    kid = kid_of(public)
    now = timezone.now()
    with catalogue_change():
        if HallKey.objects.filter(site=site, kid=kid, valid_until__isnull=True).exists():
            return False
        grace = timedelta(seconds=settings.HALL_SYNC_KEY_GRACE_S)
        HallKey.objects.filter(site=site, valid_until__lt=now).delete()
        HallKey.objects.filter(site=site, valid_until__isnull=True).update(valid_until=now + grace)
        HallKey.objects.update_or_create(
            site=site, kid=kid, defaults={"public_key": public_key, "valid_until": None}
        )
        catalogue_changed()
    keys_changed()
    return True


def hall_keys_apply(*, keys: dict[str, list[dict]]) -> None:
    """Every hall but the county: the keys of a release replace what it had."""
    try:
        rows = [
            HallKey(
                site=site,
                kid=kid_of(_public(row["public_key"])),
                public_key=row["public_key"],
                valid_until=row["until"],
            )
            for site, site_rows in keys.items()
            for row in site_rows
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise Reject(f"目录发布中的公钥无效: {exc}") from None
    HallKey.objects.all().delete()
    HallKey.objects.bulk_create(rows)
    keys_changed()

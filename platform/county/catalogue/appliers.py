"""Catalogue messages: releases from the county, re-send requests from the sites."""

from __future__ import annotations

from django.conf import settings

from county.catalogue.release import (
    RELEASE,
    RESEND,
    catalogue_apply,
    catalogue_resend,
    county_code,
)
from sites.registry.tier import here
from sync.api import DateTime, Int, List, Obj, Reject, Str, applier

# What a release writes (Site, ItemVersion, Delegation, CalendarYear/Day), against the columns.
RELEASE_SCHEMA = Obj(
    {
        "base": Int(),
        "release": Int(min=1),
        "sites": List(
            Obj(
                {
                    "code": Str(max_length=40, blank=False),
                    "name": Str(max_length=100, blank=False),
                    "tier": Str(max_length=10, blank=False),
                    "parent": Str(max_length=40, null=True),
                }
            )
        ),
        "versions": List(
            Obj(
                {
                    "code": Str(max_length=40, blank=False),
                    "number": Int(min=1),
                    "name": Str(max_length=100, blank=False),
                    "kind": Str(max_length=20, blank=False),
                    "handling_type": Str(max_length=10, blank=False),
                    "legal_limit_days": Int(max=32_767),
                    "promised_limit_days": Int(max=32_767),
                    "fees": Str(max_length=200),
                    "change_note": Str(max_length=200),
                    "materials": List(),
                    "co_departments": List(Str(max_length=40)),
                }
            )
        ),
        "delegations": List(
            Obj(
                {
                    "uid": Str(max_length=36, blank=False),
                    "item": Str(max_length=40, blank=False),
                    "mode": Str(max_length=10, blank=False),
                    "granted_at": DateTime(),
                    "withdrawn_at": DateTime(null=True),
                    "note": Str(max_length=200),
                }
            )
        ),
        "calendar": List(required=False),
        "keys": Obj({}, required=False, empty=True),  # {site: [{kid, public_key, until}]}
        "rules": List(
            Obj(
                {
                    "key": Str(max_length=60, blank=False),
                    "scope": Str(max_length=60),
                    "revision": Int(min=1),
                    "value": Obj({}, empty=True),
                }
            ),
            required=False,
        ),
    }
)
RESEND_SCHEMA = Obj({"since": Int()})


@applier(RELEASE, payload=RELEASE_SCHEMA)
def release_received(envelope) -> None:
    if envelope.origin != county_code():
        raise Reject("目录发布不是来自县政务服务中心")
    if envelope.dest != settings.HALL_SITE:
        raise Reject(f"目录发布是发给{envelope.dest}的，不是本站点")
    for key in ("base", "release", "sites", "versions", "delegations"):
        if key not in envelope.payload:
            raise Reject(f"目录发布缺少 {key}")
    catalogue_apply(payload=envelope.payload)


@applier(RESEND, payload=RESEND_SCHEMA)
def resend_requested(envelope) -> None:
    if not here().authors_catalogue:
        raise Reject("重发请求只能发给县政务服务中心")
    since = envelope.payload.get("since")
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        raise Reject("重发请求缺少有效的 since")
    catalogue_resend(site=envelope.origin, since=since)

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
from sites.registry.models import Tier
from sync.api import Reject, applier


@applier(RELEASE)
def release_received(envelope) -> None:
    if envelope.origin != county_code():
        raise Reject("目录发布不是来自县政务服务中心")
    if envelope.dest != settings.HALL_SITE:
        raise Reject(f"目录发布是发给{envelope.dest}的，不是本站点")
    for key in ("base", "release", "sites", "versions", "delegations"):
        if key not in envelope.payload:
            raise Reject(f"目录发布缺少 {key}")
    catalogue_apply(payload=envelope.payload)


@applier(RESEND)
def resend_requested(envelope) -> None:
    if settings.HALL_TIER != Tier.COUNTY:
        raise Reject("重发请求只能发给县政务服务中心")
    since = envelope.payload.get("since")
    if not isinstance(since, int) or isinstance(since, bool) or since < 0:
        raise Reject("重发请求缺少有效的 since")
    catalogue_resend(site=envelope.origin, since=since)

"""Sync's own message types: catalogue releases and re-send requests."""

from __future__ import annotations

from django.conf import settings

from sync.catalogue import RELEASE, RESEND, catalogue_apply, catalogue_resend
from sync.envelope import Envelope, Reject
from sync.registry import applier


@applier(RELEASE)
def release_received(envelope: Envelope) -> None:
    if envelope.origin != "county":
        raise Reject("catalogue release not from the county")
    for key in ("base", "release", "sites", "versions", "delegations"):
        if key not in envelope.payload:
            raise Reject(f"catalogue release without {key}")
    catalogue_apply(payload=envelope.payload)


@applier(RESEND)
def resend_requested(envelope: Envelope) -> None:
    if settings.HALL_TIER != "county":
        raise Reject("re-send requests go to the county")
    since = envelope.payload.get("since")
    if not isinstance(since, int) or since < 0:
        raise Reject("re-send request without a valid 'since'")
    catalogue_resend(site=envelope.origin, since=since)

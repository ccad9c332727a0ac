"""Reads of the sync state: what `hall sync-status` and /api/sync/status/ show."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Min, Subquery
from django.utils import timezone

from sync.models import (
    HeldMessage,
    OriginState,
    OutboxMessage,
    QuarantinedMessage,
    SyncCounter,
)


def sync_status() -> dict:
    now = timezone.now()
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    last = (
        OutboxMessage.objects.filter(sent_at__isnull=False)
        .order_by("-id")
        .values("msg_id", "type", "dest", "sent_at")
        .first()
    )
    held = HeldMessage.objects.values("aggregate").annotate(n=Count("id"), since=Min("held_at"))
    release = SyncCounter.objects.filter(name="catalogue_release").first()
    return {
        "site": settings.HALL_SITE,
        "outbox_backlog": unsent["n"],
        "oldest_unsent_age_s": (
            round((now - unsent["oldest"]).total_seconds(), 1) if unsent["oldest"] else None
        ),
        "last_confirmed": (
            {
                "id": str(last["msg_id"]),
                "type": last["type"],
                "dest": last["dest"],
                "at": last["sent_at"].isoformat(),
            }
            if last
            else None
        ),
        "last_applied": {
            row.origin: {
                "id": str(row.last_msg_id),
                "type": row.last_type,
                "at": row.last_at.isoformat(),
                "applied": row.applied,
            }
            for row in OriginState.objects.order_by("origin")
        },
        "held_gaps": [
            {"aggregate": h["aggregate"], "messages": h["n"], "since": h["since"].isoformat()}
            for h in held.order_by("aggregate")[:100]
        ],
        "held_count": HeldMessage.objects.count(),
        "quarantined": QuarantinedMessage.objects.count(),
        "catalogue_release": release.value if release else 0,
    }


def origin_last_heard(*, origin: str):
    """When this node last applied a message from `origin` (None: never, or itself)."""
    return OriginState.objects.filter(origin=origin).values_list("last_at", flat=True).first()


def origin_last_heard_subquery(origin):
    """origin_last_heard as a subquery, to annotate a query whose rows name the origin
    (`origin`: an OuterRef), so the caller reads it in its own query."""
    return Subquery(OriginState.objects.filter(origin=origin).values("last_at")[:1])

"""A fixed-window rate limit kept in the database, so every worker of a node shares it
(the default cache is per process and would multiply the limit by the worker count)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from permissions.models import RateCounter


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


def _no_fsync_wait() -> None:
    """A rate counter is not business data: losing the last few hits in a crash is harmless,
    so on PostgreSQL its commit does not wait for the WAL flush (the citizen's query was
    paying an fsync per request for it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def rate_limit_hit(*, key: str, limit: int, window_seconds: int, now=None) -> None:
    """Count one hit for `key`; raise RateLimited when the window already holds `limit`."""
    now = now or timezone.now()
    start = _window_start(now, window_seconds)
    with transaction.atomic():
        _no_fsync_wait()
        updated = RateCounter.objects.filter(key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another worker created it first
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        count = RateCounter.objects.filter(key=key, window_start=start).values_list(
            "count", flat=True
        )[0]
    if random.random() < 0.01:
        RateCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
    if count > limit:
        retry = int((start + timedelta(seconds=window_seconds) - now).total_seconds()) + 1
        raise RateLimited(retry_after=max(retry, 1))

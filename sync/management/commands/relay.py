"""`hall --site CODE relay`: publish this hall's outbox (the county also cuts releases)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from sync.relay import relay_run

RELEASE_CHECK_S = 2.0


def _release_hook():
    """County: cut a catalogue release when the catalogue or calendar changed."""
    from sync.catalogue import catalogue_release_cut

    state = {"next": 0.0}

    def hook() -> None:
        if time.monotonic() >= state["next"]:
            state["next"] = time.monotonic() + RELEASE_CHECK_S
            catalogue_release_cut()

    return hook


class Command(BaseCommand):
    requires_system_checks = []  # a daemon; `hall test` runs the checks
    help = "Publish the outbox to the broker in order, with batched publisher confirms."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="stop when the outbox is empty")

    def handle(self, *args, **opts):
        hooks = [_release_hook()] if settings.HALL_TIER == "county" else []
        relay_run(once=opts["once"], hooks=hooks)

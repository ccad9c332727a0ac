"""What a hall does follows from its tier: the capabilities, declared once per tier.

Code asks `here().keeps_read_model`, never `settings.HALL_TIER == "county"` (ADR 0026). The
node's tier is `settings.HALL_TIER` (from the site tree at start-up); it is read on every call,
so a test that moves its node to another tier sees the other tier's capabilities.

Nothing here imports Django models: the settings (deploy/settings/production.py) read it
before the apps are loaded. It sits in sites.registry, low in the layers, so every app may
read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Capabilities:
    tier: str
    # The cross-site view: the read model of every hall's cases and parts, and what is
    # computed from it (电子监察 statistics and alerts across halls, 窗口考核 points and the
    # county's half of 好差评/投诉, the GraphQL view, the halls' "followed" endpoint).
    keeps_read_model: bool
    # Authors the catalogue, the working calendar and the rules; cuts catalogue releases and
    # answers resend requests (ADR 0010); holds the demo superuser who authors them.
    authors_catalogue: bool
    # Holds every hall's public key (enrols them, hears their rotations; ADR 0012).
    enrols_hall_keys: bool
    # Issues 督办单 to the halls it supervises.
    issues_orders: bool
    # Asks the county over HTTP (citizen case status, start-up checks): every hall but it.
    asks_county: bool
    # Has village stations below it, which accept on its behalf and forward.
    has_villages: bool


TIERS: dict[str, Capabilities] = {
    "county": Capabilities(
        tier="county",
        keeps_read_model=True,
        authors_catalogue=True,
        enrols_hall_keys=True,
        issues_orders=True,
        asks_county=False,
        has_villages=False,
    ),
    "township": Capabilities(
        tier="township",
        keeps_read_model=False,
        authors_catalogue=False,
        enrols_hall_keys=False,
        issues_orders=False,
        asks_county=True,
        has_villages=True,
    ),
    "village": Capabilities(
        tier="village",
        keeps_read_model=False,
        authors_catalogue=False,
        enrols_hall_keys=False,
        issues_orders=False,
        asks_county=True,
        has_villages=False,
    ),
}

CAPABILITY_NAMES = frozenset(f.name for f in fields(Capabilities)) - {"tier"}


def of(tier: str) -> Capabilities:
    """The capabilities of `tier` (for settings, which read it before Django is set up)."""
    return TIERS[tier]


def here() -> Capabilities:
    """This node's capabilities."""
    return TIERS[settings.HALL_TIER]


def only_where(capability: str) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Register a receiver or applier for the nodes that have `capability` only: elsewhere it
    is a no-op (returns None). Wrap it under the registering decorator:

        @applier(EVENT_TYPE, ...)
        @only_where("keeps_read_model")
        def case_event_received(envelope): ...

    The check runs at dispatch, not at import, because one process may serve as another tier
    (tests move their node; every real node keeps its tier for life)."""
    if capability not in CAPABILITY_NAMES:
        raise LookupError(f"unknown tier capability {capability!r}")

    def decorate(fn: Callable[P, R]) -> Callable[P, R | None]:
        @wraps(fn)
        def where(*args: P.args, **kwargs: P.kwargs) -> R | None:
            if not getattr(here(), capability):
                return None
            return fn(*args, **kwargs)

        where.capability = capability  # type: ignore[attr-defined]
        return where

    return decorate

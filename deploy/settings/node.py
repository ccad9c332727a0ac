"""A hall node: the shared base, then the overlay of the node's tier."""

from deploy.settings.base import *  # noqa: F403
from deploy.settings.base import HALL_TIER
from deploy.settings.tiers import apply_overlay

apply_overlay(globals(), HALL_TIER)

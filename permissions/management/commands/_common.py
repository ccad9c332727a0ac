"""Shared helpers of the permissions management commands."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError

from sites.registry.models import Site


def site_for(code: str | None) -> Site:
    """The site named by --at, else this node's own site (HALL_SITE / hall --site)."""
    code = code or settings.HALL_SITE
    site = Site.objects.filter(code=code).first()
    if site is None:
        raise CommandError(f"未知站点 {code}; 先运行 migrate/node 载入站点树。")
    return site

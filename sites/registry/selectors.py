"""Reads of the site registry."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from sites.registry.models import Site


def site_current() -> Site:
    """This node's own site (settings.HALL_SITE)."""
    return Site.objects.get(code=settings.HALL_SITE)


def site_subtree(*, site: Site) -> QuerySet[Site]:
    """The site and every site below it, in one query."""
    return Site.objects.filter(path__startswith=site.path)

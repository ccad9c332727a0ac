"""Who may read the county's rules (规则, /guize/) and who may change them.

Changing stays with the catalogue's authors (county.catalogue.services.catalogue_may_write);
reading is also for the county's supervisors, whose points, quotas and deadlines these are.
"""

from __future__ import annotations

from django.conf import settings

from permissions.access import has_site_perm, user_active
from permissions.roles import SitePerm
from sites.registry.models import Site
from sites.registry.tier import here


def may_read_rules(*, user) -> bool:
    if not here().authors_catalogue or not user_active(user):
        return False
    if user.is_superuser:
        return True
    county = Site.objects.filter(code=settings.HALL_SITE).first()
    return county is not None and (
        has_site_perm(user=user, site=county, perm=SitePerm.MANAGE_CATALOGUE)
        or has_site_perm(user=user, site=county, perm=SitePerm.SUPERVISE)
    )

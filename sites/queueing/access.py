"""Who may work the queue of a hall (叫号), read its waiting statistics and pre-review its
online applications (预审).

Calling at a window is handling at the site (`act_at_site`, clerks and chief
representatives of this hall); the statistics are for those who view the hall's cases
here or above it (the township over its villages, the county over all).
"""

from __future__ import annotations

from permissions.access import has_site_perm, has_site_perm_over, user_active
from permissions.roles import SitePerm
from sites.registry.models import Site


def can_call_tickets(*, user, site: Site) -> bool:
    return user_active(user) and has_site_perm(user=user, site=site, perm=SitePerm.ACT)


def can_view_queue_statistics(*, user, site: Site) -> bool:
    """The same rule as viewing the hall's cases: held here or at a hall above."""
    return user_active(user) and has_site_perm_over(user=user, site=site, perm=SitePerm.VIEW_CASES)


def can_prereview(*, user, site: Site) -> bool:
    """预审 of online applications filed at this hall: its handling staff; taking one in as
    a case also needs the item to be acceptable here (access.can_accept_item_here)."""
    return user_active(user) and has_site_perm(user=user, site=site, perm=SitePerm.ACT)

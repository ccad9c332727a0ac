"""Who may take in and decide a delegated item at a site: the site grants (permissions.access)
and the guardian grants on the catalogue's Delegation rows (county.catalogue.grants keeps
them). Reads delegation rows, so it lives beside them (docs/decisions/0025-layers.md).

    can_accept_item_here(*, user, item, site) -> bool
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from county.catalogue.models import Delegation
from permissions.access import has_site_perm
from permissions.models import DelegationGroupObjectPermission, DelegationUserObjectPermission
from permissions.roles import DelegationPerm, SitePerm
from sites.registry.models import Site, Tier


def _item_allowed_here(
    *, user, item, site: Site, site_perms: tuple[SitePerm, ...], perm: DelegationPerm
):
    if not any(has_site_perm(user=user, site=site, perm=p) for p in site_perms):
        return False
    if site.tier == Tier.COUNTY:
        return True  # the county hall offers every item of its own catalogue
    grant = Q(permission__codename=perm, content_object_id=OuterRef("pk"))
    direct = DelegationUserObjectPermission.objects.filter(grant, user_id=user.pk)
    via_group = DelegationGroupObjectPermission.objects.filter(grant, group__user=user.pk)
    return (
        Delegation.objects.filter(item=item, site=site, withdrawn_at__isnull=True)
        .filter(Q(Exists(direct)) | Q(Exists(via_group)))
        .exists()
    )


def can_accept_item_here(*, user, item, site: Site) -> bool:
    """May the user take in (收件) a new case of `item` at `site`? A clerk or chief
    representative (act_at_site) or a village agent (file_as_agent) there, and, below the
    county, an active delegation of the item to the site with an accept grant (withdrawn:
    no new cases; those already accepted run to the end)."""
    return _item_allowed_here(
        user=user,
        item=item,
        site=site,
        site_perms=(SitePerm.ACT, SitePerm.FILE_AS_AGENT),
        perm=DelegationPerm.ACCEPT,
    )

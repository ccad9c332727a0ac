"""Grants on delegated items: which role groups of a site may take in (and decide) an item
delegated to the site. The rows are the catalogue's, so the code that reads them lives here;
permissions keeps the roles and the guardian tables (docs/decisions/0025-layers.md).

Receivers, connected in apps.py: a delegation saved, a role group (re)derived at a site, and
`hall permissions-sync`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from django.dispatch import receiver

from county.catalogue.models import Delegation, DelegationMode
from permissions.models import DelegationGroupObjectPermission, RoleGroup
from permissions.roles import ROLES, DelegationPerm, Role
from permissions.services import perm_get
from permissions.signals import object_grants_resync, role_group_synced


def _delegation_grant(*, delegation, group: Group, role: Role) -> None:
    """Taking in: every role that takes in items. Deciding: only handlers, and only under
    a 受理并办结 delegation (代收代办 items are accepted here and forwarded up)."""
    spec = ROLES[role]
    codes = [DelegationPerm.ACCEPT] if spec.takes_in_items else []
    if spec.handles_cases and delegation.mode == DelegationMode.DECIDE:
        codes.append(DelegationPerm.DECIDE)
    DelegationGroupObjectPermission.objects.bulk_create(
        [
            DelegationGroupObjectPermission(
                group=group, content_object=delegation, permission=perm_get(Delegation, str(c))
            )
            for c in codes
        ],
        ignore_conflicts=True,
    )


def delegation_grants_sync(*, delegation) -> None:
    """An active delegation: the site's handling groups may accept (and decide, if the
    mode is 受理并办结). Withdrawn: every grant goes, so no new case is accepted under it;
    cases already accepted keep their own grants and run to the end."""
    DelegationGroupObjectPermission.objects.filter(content_object=delegation).delete()
    if delegation.withdrawn_at is None:
        for rg in RoleGroup.objects.filter(site_id=delegation.site_id).select_related("group"):
            _delegation_grant(delegation=delegation, group=rg.group, role=Role(rg.role))


def delegations_sync_all() -> int:
    count = 0
    for delegation in Delegation.objects.all():
        delegation_grants_sync(delegation=delegation)
        count += 1
    return count


@receiver(post_save, sender=Delegation, dispatch_uid="permissions-delegation-saved")
def on_delegation_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixture loading: grants are derived, rebuilt by `hall permissions-sync`
        return
    delegation_grants_sync(delegation=instance)


@receiver(role_group_synced, dispatch_uid="catalogue-role-group-synced")
def on_role_group_synced(sender, group, site, role, **kwargs) -> None:
    """A role that takes in items gets the grants on the site's active delegations."""
    if ROLES[role].takes_in_items:
        for delegation in Delegation.objects.filter(site=site, withdrawn_at__isnull=True):
            _delegation_grant(delegation=delegation, group=group, role=role)


@receiver(object_grants_resync, dispatch_uid="catalogue-grants-resync")
def on_object_grants_resync(sender, **kwargs) -> tuple[str, int]:
    return ("下放事项", delegations_sync_all())

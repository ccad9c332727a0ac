"""Grants on cases follow the case: receivers of this app's signals (sent inside the case's
transaction, so a grant commits or rolls back with the change), and the backfill when a
handling group appears at a site. The guardian tables and the per-case writers are in
permissions.services; the code that reads case rows lives here, beside them
(docs/decisions/0025-layers.md). Connected in apps.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import connection
from django.dispatch import receiver

from permissions import services
from permissions.models import CaseGroupObjectPermission
from permissions.roles import ROLES, CasePerm
from permissions.signals import role_group_synced
from sites.cases.models import Case
from sites.cases.signals import case_assigned, case_created, case_owner_changed
from sites.registry.models import Site


def case_grants_backfill(*, group: Group, site: Site) -> None:
    """A new handling group at a site gets the grants on the cases the site owns now.
    One INSERT ... SELECT: the case ids never travel through Python."""
    perm = services.perm_get(Case, CasePerm.HANDLE)
    table = CaseGroupObjectPermission._meta.db_table
    case_table = Case._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (permission_id, group_id, content_object_id) "
            f"SELECT %s, %s, c.id FROM {case_table} c WHERE c.owner_site_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {table} x WHERE x.content_object_id = c.id "
            "AND x.group_id = %s AND x.permission_id = %s)",
            [perm.pk, group.pk, site.pk, group.pk, perm.pk],
        )


@receiver(role_group_synced, dispatch_uid="cases-role-group-synced")
def on_role_group_synced(sender, group, site, role, **kwargs) -> None:
    if ROLES[role].handles_cases:
        case_grants_backfill(group=group, site=site)


@receiver(case_created, dispatch_uid="permissions-case-created")
def on_case_created(sender, case, **kwargs) -> None:
    services.case_grants_for_owner(case=case)
    if case.clerk_id:
        services.case_grants_for_clerk(case=case, old_clerk=None, new_clerk=case.clerk)


@receiver(case_owner_changed, dispatch_uid="permissions-case-owner-changed")
def on_case_owner_changed(sender, case, old_site=None, new_site=None, **kwargs) -> None:
    services.case_grants_owner_moved(case=case)


@receiver(case_assigned, dispatch_uid="permissions-case-assigned")
def on_case_assigned(sender, case, old_clerk=None, new_clerk=None, **kwargs) -> None:
    services.case_grants_for_clerk(case=case, old_clerk=old_clerk, new_clerk=new_clerk)

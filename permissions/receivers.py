"""Grants follow the domain: receivers of the cases app's signals (sent inside the case's
transaction, so a grant commits or rolls back with the change) and of delegation saves."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from county.catalogue.models import Delegation
from permissions import services
from sites.cases.signals import case_assigned, case_created, case_owner_changed


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


@receiver(post_save, sender=Delegation, dispatch_uid="permissions-delegation-saved")
def on_delegation_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixture loading: grants are derived, rebuilt by `hall permissions-sync`
        return
    services.delegation_grants_sync(delegation=instance)

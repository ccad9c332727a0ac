"""Grants on parts follow new role groups (a hall's staff set up after parts arrived)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from permissions.models import RoleGroup
from sites.joint.access import part_grants_backfill


@receiver(post_save, sender=RoleGroup, dispatch_uid="joint-role-group-created")
def role_group_created(sender, instance: RoleGroup, created: bool, **kwargs) -> None:
    if not created:
        return

    part_grants_backfill(group=instance.group, site=instance.site, role=instance.role)

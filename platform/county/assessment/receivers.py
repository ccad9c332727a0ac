"""Windows are assessed from the day they open: the county's own windows (sites.registry)
enter the assessed list when they are saved, never when a page is read (issue 22); every
other hall announces its windows and staff to the county by a sync message (announce.py)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from county.assessment.announce import staff_announce, window_announce
from county.assessment.services import staff_ref, window_ref
from sites.registry.models import Staff, Window
from sites.registry.tier import here


@receiver(post_save, sender=Window, dispatch_uid="assessment-window-opened")
def _window_saved(sender, instance, **kwargs) -> None:
    if not here().keeps_read_model:
        window_announce(instance)
        return
    window_ref(
        site_code=instance.site.code,
        number=instance.number,
        name=instance.name,
        site_name=instance.site.name,
        department_code=instance.department.code,
        department_name=instance.department.name,
    )


@receiver(post_save, sender=Staff, dispatch_uid="assessment-staff-placed")
def _staff_saved(sender, instance, **kwargs) -> None:
    if instance.window_id is None:
        return
    if not here().keeps_read_model:
        staff_announce(instance)
        return
    window = instance.window
    ref = window_ref(site_code=window.site.code, number=window.number, name=window.name)
    staff_ref(
        site_code=window.site.code, username=instance.user.username, name=instance.name, window=ref
    )

"""A concluded case held by this hall gets its 送达 row (with the pickup code), in the
transaction that concluded it (or that brought it back here concluded: 退回下级)."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from sites.cases.models import Case, CaseStatus
from sites.delivery.services import delivery_open


@receiver(post_save, sender=Case, dispatch_uid="delivery_case_concluded")
def _case_saved(sender, instance: Case, raw: bool = False, **kwargs) -> None:
    if raw or instance.status != CaseStatus.CONCLUDED:
        return
    if instance.owner_site.code != settings.HALL_SITE:
        return
    delivery_open(case=instance)

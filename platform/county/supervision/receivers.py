"""The rollup follows the read model: every saved CaseRecord, every new deemed consent.

Receivers run in the read model's transaction, so the figures commit with the event."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from county.readmodel.models import CaseFact, CaseRecord
from county.supervision.rollup import deemed_rollup, record_rollup


@receiver(post_save, sender=CaseRecord, dispatch_uid="supervision-record-rollup")
def _record_saved(sender, instance, **kwargs) -> None:
    if settings.HALL_TIER == "county":
        record_rollup(record=instance)


@receiver(post_save, sender=CaseFact, dispatch_uid="supervision-deemed-rollup")
def _fact_saved(sender, instance, created, **kwargs) -> None:
    if created and instance.type == "deemed_consent" and settings.HALL_TIER == "county":
        deemed_rollup(fact=instance)

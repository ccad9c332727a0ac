"""The rollup follows the read model: every saved CaseRecord, every new deemed consent.

Receivers run in the read model's transaction, so the figures commit with the event."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from county.assessment.services import points_record, window_ref
from county.readmodel.models import CaseFact, CaseRecord
from county.supervision.rollup import (
    SUPPLEMENT_FACTS,
    deemed_rollup,
    rating_rollup,
    record_rollup,
    supplement_rollup,
)
from county.supervision.signals import order_overdue
from sites.feedback.models import Rating
from sites.registry.tier import only_where

ORDER_SOURCE = "supervision_order"


@receiver(post_save, sender=CaseRecord, dispatch_uid="supervision-record-rollup")
@only_where("keeps_read_model")
def _record_saved(sender, instance, **kwargs) -> None:
    record_rollup(record=instance)


@receiver(post_save, sender=CaseFact, dispatch_uid="supervision-deemed-rollup")
@only_where("keeps_read_model")
def _fact_saved(sender, instance, created, **kwargs) -> None:
    if not created:
        return
    if instance.type == "deemed_consent":
        deemed_rollup(fact=instance)
    elif instance.type in SUPPLEMENT_FACTS:
        supplement_rollup(fact=instance)


@receiver(post_save, sender=Rating, dispatch_uid="supervision-rating-rollup")
@only_where("keeps_read_model")
def _rating_saved(sender, instance, created, **kwargs) -> None:
    """The first rating of a case (one per case at the county) counts once."""
    if created:
        rating_rollup(case_number=instance.case_number, level=instance.level)


@receiver(order_overdue, dispatch_uid="supervision-order-points")
def _order_points(sender, order, **kwargs) -> None:
    """An overdue 督办单 costs the window (the department at the hall) the assessment rule's
    points (`supervision_unanswered`), once per order (county.assessment's ledger)."""
    window = window_ref(
        site_code=order.site_code,
        number=f"部门{order.department_code}",  # as county.assessment names department windows
        department_code=order.department_code,
    )
    points_record(
        window=window,
        rule="supervision_unanswered",
        source_type=ORDER_SOURCE,
        source_id=order.code,
        occurred_on=timezone.localdate(order.overdue_at),
        note=f"督办单{order.code}（办件{order.case_number}）未按期答复",
    )

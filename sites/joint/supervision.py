"""Deemed consent (逾期默认) by the periodic tick: parts whose time ran out at this lead."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from sites.joint.models import Part, PartState
from sites.joint.services import part_deem
from sites.registry.selectors import site_current


def parts_deem_due(*, today: date | None = None) -> dict:
    """Deem every open part of a running case owned here whose deadline has passed.

    One transaction per part: a part answered meanwhile is skipped (the answer wins)."""
    today = today or timezone.localdate()
    now = timezone.now()
    at = (
        now
        if today == timezone.localdate()
        else timezone.make_aware(datetime.combine(today, time(9)))
    )
    here = site_current()
    due = Part.objects.filter(
        case__owner_site=here, state=PartState.OPEN, deadline__lt=today
    ).order_by("deadline", "pk")
    deemed = 0
    for pk in list(due.values_list("pk", flat=True)):
        if part_deem(part=Part(pk=pk), at=at) is not None:
            deemed += 1
    return {"deemed": deemed}

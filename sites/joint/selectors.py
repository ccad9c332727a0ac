"""Reads of joint approvals: parts of a case, parts at this hall, the county's stalled list."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from permissions.access import user_site_grants
from permissions.roles import SitePerm
from sites.cases.models import Case, CaseStatus
from sites.joint.access import part_queryset_for_user
from sites.joint.models import DONE_STATES, Part, PartRecord, PartState
from sites.registry.models import Site
from sites.registry.selectors import site_current


def part_base() -> QuerySet[Part]:
    return Part.objects.select_related("department", "site", "lead_site")


def part_list_for_user(*, user, state: str | None = None, here_only: bool = False) -> QuerySet:
    qs = part_queryset_for_user(user=user, queryset=part_base())
    if state:
        qs = qs.filter(state=state)
    if here_only:
        qs = qs.filter(site=site_current())
    return qs.order_by("deadline", "key")


def stalled_parts(*, site_codes: list[str] | None = None, today: date | None = None):
    """Open parts in warning or overdue, the oldest deadline first (the supervisor's list).

    `site_codes`: only parts handled at or led by these halls (None: all)."""
    today = today or timezone.localdate()
    qs = PartRecord.objects.filter(state=PartState.OPEN, warning_from__lte=today)
    if site_codes is not None:
        qs = qs.filter(Q(site__in=site_codes) | Q(lead_site__in=site_codes))
    return qs.order_by("deadline", "opened_at", "key")


def stalled_site_codes_for_user(*, user) -> list[str] | None:
    """The halls a supervisor watches: the county sees all (None), others their subtree."""
    grants = user_site_grants(user=user)
    paths = grants.subtree_paths(SitePerm.SUPERVISE) + grants.subtree_paths(SitePerm.REASSIGN_TASKS)
    if any(p.count("/") == 1 for p in paths):
        return None

    cond = Q(pk__in=[])
    for path in paths:
        cond |= Q(path__startswith=path)
    return list(Site.objects.filter(cond).values_list("code", flat=True))


def cases_ready_to_countersign(*, site):
    """Joint cases led here, running, every part answered or deemed: ready for 集中会签."""
    parts = Part.objects.filter(case=OuterRef("pk"))
    return (
        Case.objects.filter(
            owner_site=site, status=CaseStatus.ACCEPTED, item_version__handling_type="joint"
        )
        .filter(Exists(parts))
        .exclude(Exists(parts.exclude(state__in=DONE_STATES)))
        .select_related("item_version")
        .prefetch_related(Prefetch("parts", queryset=part_base().order_by("department__code")))
        .order_by("deadline", "pk")
    )

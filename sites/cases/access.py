"""Who may see and handle a case: permissions.access's rule (case_visibility_q, the site
grants) applied to Case rows, the guardian `handle_case` grant, the DRF glue for case views
and the citizen's query (number + query code). The rule itself stays in permissions; what
reads case rows lives beside them (docs/decisions/0025-layers.md).

    case_queryset_for_user(*, user, queryset=None) -> QuerySet[Case]
        The cases the user may view (one set-based filter); keeps `queryset`'s own filters.
    access_case(*, user, number, action=Action.VIEW, queryset=None) -> Case
        The case, or AccessNotFound (404) when it does not exist *or* the user may not view
        it, AccessDenied (403) when the user may view it but not do `action`.
    can_handle_case(*, user, case) -> bool
        Owner-site rule (`act_at_site` at case.owner_site) AND a guardian `handle_case`
        grant on the case (to the user or one of the user's role groups).
    citizen_case_lookup(*, number, query_code) -> Case | None
"""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet
from django.utils.timezone import localdate
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import SAFE_METHODS

from permissions.access import (
    DENIED_MESSAGE,
    NOT_FOUND_MESSAGE,
    AccessDenied,
    AccessNotFound,
    case_visibility_q,
    has_site_perm,
    user_active,
)
from permissions.models import CaseGroupObjectPermission, CaseUserObjectPermission
from permissions.rest import IsStaff
from permissions.roles import Action, CasePerm, SitePerm
from sites.cases.models import Case
from sites.cases.querycode import query_code_hash, query_code_matches

# --- the rule on case rows ------------------------------------------------------------------


def case_queryset_for_user(*, user, queryset: QuerySet | None = None) -> QuerySet:
    qs = queryset if queryset is not None else Case.objects.all()
    cond = case_visibility_q(user=user)
    return qs.none() if cond is None else qs.filter(cond)


def can_handle_case(*, user, case) -> bool:
    if not user_active(user):
        return False
    if not has_site_perm(user=user, site=case.owner_site_id, perm=SitePerm.ACT):
        return False
    perm = Q(permission__codename=CasePerm.HANDLE, content_object_id=case.pk)
    direct = CaseUserObjectPermission.objects.filter(perm, user_id=user.pk)
    via_group = CaseGroupObjectPermission.objects.filter(perm, group__user=user.pk)
    return Case.objects.filter(Q(Exists(direct)) | Q(Exists(via_group)), pk=case.pk).exists()


def access_case(
    *, user, number: str, action: Action | str = Action.VIEW, queryset: QuerySet | None = None
):
    action = Action(action)
    case = case_queryset_for_user(user=user, queryset=queryset).filter(number=number).first()
    if case is None:
        raise AccessNotFound(NOT_FOUND_MESSAGE)
    if action is Action.HANDLE and not can_handle_case(user=user, case=case):
        raise AccessDenied(DENIED_MESSAGE)
    return case


# --- DRF glue -------------------------------------------------------------------------------


class CaseVisibilityFilter(BaseFilterBackend):
    """Narrows a view's Case queryset to what the user may view (one set-based filter)."""

    def filter_queryset(self, request, queryset, view):
        return case_queryset_for_user(user=request.user, queryset=queryset)


class CaseAccess(IsStaff):
    """Object check for Case views: reads need view, writes need handle. Views that look
    cases up themselves should call access_case instead (same rule, one query)."""

    def has_object_permission(self, request, view, obj) -> bool:
        action = Action.VIEW if request.method in SAFE_METHODS else Action.HANDLE
        access_case(user=request.user, number=obj.number, action=action)
        return True


def case_for_request(request, *, number: str, action: Action = Action.VIEW):
    """access_case for the request's user (404/403 per the decision record)."""
    return access_case(user=request.user, number=number, action=action)


# --- the citizen's query --------------------------------------------------------------------


def citizen_case_lookup(*, number: str, query_code: str):
    """The case when number and code match, else None — for both failure kinds alike."""
    number = (number or "").strip()[:64]
    query_code = (query_code or "").strip()[:32]
    case = (
        Case.objects.select_related("owner_site", "item_version").filter(number=number).first()
        if number and query_code
        else None
    )
    if case is None:
        query_code_hash(number=number, code=query_code)  # the same work as a real check
        return None
    if not query_code_matches(number=number, code=query_code, stored=case.query_code_hash):
        return None
    return case


def citizen_case_answer(case) -> dict:
    """What a citizen may see: status and where the case is. Never personal data."""
    return {
        "number": case.number,
        "item": case.item_version.name,
        "status": case.status,
        "status_label": case.get_status_display(),
        "outcome_label": case.get_outcome_display() if case.outcome else "",
        "site": case.owner_site.name,
        "submitted_on": localdate(case.submitted_at),
        "accepted_on": localdate(case.accepted_at) if case.accepted_at else None,
        "concluded_on": localdate(case.concluded_at) if case.concluded_at else None,
        "deadline": case.deadline,
        "clock_state_label": case.get_clock_state_display(),
    }

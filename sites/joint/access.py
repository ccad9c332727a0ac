"""Who may see and act on joint-approval parts (联办部门意见环节). Same rules and helpers as
permissions.access (it stays the one place for sites and cases); parts are decided here.

part_queryset_for_user(*, user, queryset=None) -> QuerySet[Part]
    One set-based filter: parts handled at, or led by, a site where the user views cases
    (that site or one above it), plus parts the user holds a review grant on.
access_part(*, user, number, department, action=PartAction.VIEW) -> Part
    AccessNotFound (404) when missing or not visible; AccessDenied (403) when visible but
    the action is not allowed.
can_give_opinion(*, user, part)     the part's assignee at this hall: a `review_task`
    grant on the part (to the named reviewer, else to the hall's reviewing and handling
    groups) and, for staff at a window, a window of the part's department.
can_reassign_part(*, user, part)    a county supervisor (`reassign_tasks` at the county),
    at the lead hall.
can_view_stalled(*, user)           e-supervision (`supervise_site`) or `reassign_tasks`.
part_grants_sync(*, part)           grants follow the assignment (old assignee loses).
part_grants_backfill(*, group, site, role)   a role group created later gets its grants on
    the open parts its site handles now.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

from permissions.access import (
    DENIED_MESSAGE,
    NOT_FOUND_MESSAGE,
    AccessDenied,
    AccessNotFound,
    user_active,
    user_site_grants,
)
from permissions.roles import ROLES, SitePerm, TaskPerm
from sites.joint.models import Part, PartGroupObjectPermission, PartState, PartUserObjectPermission
from sites.registry.models import Tier
from sites.registry.selectors import site_current


class PartAction(StrEnum):
    VIEW = "view"
    OPINION = "opinion"
    REASSIGN = "reassign"


def _models():
    return Part, PartUserObjectPermission, PartGroupObjectPermission


def _review_grant_q(user) -> Q:
    _, user_perm, group_perm = _models()
    grant = Q(permission__codename=TaskPerm.REVIEW, content_object_id=OuterRef("pk"))
    direct = user_perm.objects.filter(grant, user_id=user.pk)
    via_group = group_perm.objects.filter(grant, group__user=user.pk)
    return Q(Exists(direct)) | Q(Exists(via_group))


def part_queryset_for_user(*, user, queryset: QuerySet | None = None) -> QuerySet:
    part = _models()[0]
    qs = queryset if queryset is not None else part.objects.all()
    if not user_active(user):
        return qs.none()
    ids = sorted(user_site_grants(user=user).view_site_ids)
    return qs.filter(Q(site_id__in=ids) | Q(lead_site_id__in=ids) | _review_grant_q(user))


def can_give_opinion(*, user, part) -> bool:
    if not user_active(user):
        return False

    if part.site_id != site_current().id:
        return False
    staff = getattr(user, "staff", None)
    if staff is not None and staff.window_id and staff.window.department_id != part.department_id:
        return False  # another department's window
    return type(part).objects.filter(_review_grant_q(user), pk=part.pk).exists()


def can_reassign_part(*, user, part) -> bool:
    if not user_active(user) or part.case_id is None:
        return False
    grants = user_site_grants(user=user)
    return any(
        g.perm == SitePerm.REASSIGN_TASKS and g.site_tier == Tier.COUNTY for g in grants.rows
    )


def can_view_stalled(*, user) -> bool:
    grants = user_site_grants(user=user)
    return grants.has_anywhere(SitePerm.SUPERVISE) or grants.has_anywhere(SitePerm.REASSIGN_TASKS)


def access_part(*, user, number: str, department: str, action=PartAction.VIEW, queryset=None):
    action = PartAction(action)
    part = (
        part_queryset_for_user(user=user, queryset=queryset)
        .filter(case_number=number, key__endswith=f":{department}")
        .first()
    )
    if part is None:
        raise AccessNotFound(NOT_FOUND_MESSAGE)
    allowed = {
        PartAction.VIEW: lambda: True,
        PartAction.OPINION: lambda: can_give_opinion(user=user, part=part),
        PartAction.REASSIGN: lambda: can_reassign_part(user=user, part=part),
    }[action]()
    if not allowed:
        raise AccessDenied(DENIED_MESSAGE)
    return part


def _reviewing_roles(tier: str) -> list[str]:
    """The county has department reviewers (审核员) for parts; a township or village hall
    has none, so its window staff (clerks, chief representatives) give the opinion."""
    return [
        r.value
        for r, spec in ROLES.items()
        if SitePerm.REVIEW_TASKS in spec.site_perms or (tier != Tier.COUNTY and spec.handles_cases)
    ]


def part_grants_sync(*, part) -> None:
    """Review rights on an open part at its hall: the named reviewer alone, or the hall's
    reviewing groups (see _reviewing_roles). Anything else (moved away, answered, deemed, another
    hall) holds no grant: the old assignee loses its rights as the new one gains them."""
    part_model, user_perm, group_perm = _models()
    user_perm.objects.filter(content_object=part).delete()
    group_perm.objects.filter(content_object=part).delete()
    if part.state != PartState.OPEN or part.site_id != site_current().id:
        return
    perm = Permission.objects.get(
        codename=TaskPerm.REVIEW, content_type__app_label=part_model._meta.app_label
    )
    if part.reviewer:
        reviewer = get_user_model().objects.filter(username=part.reviewer).first()
        if reviewer is not None:
            user_perm.objects.create(user=reviewer, content_object=part, permission=perm)
        return
    groups = Group.objects.filter(
        role_group__site_id=part.site_id, role_group__role__in=_reviewing_roles(part.site.tier)
    )
    group_perm.objects.bulk_create(
        [group_perm(group=g, content_object=part, permission=perm) for g in groups]
    )


def part_grants_backfill(*, group, site, role: str) -> int:
    """A new role group at a site: review grants on the open parts handled there now (those
    without a named reviewer). Returns how many were granted."""
    if role not in _reviewing_roles(site.tier) or site.pk != site_current().pk:
        return 0
    part_model, _, group_perm = _models()
    perm = Permission.objects.get(
        codename=TaskPerm.REVIEW, content_type__app_label=part_model._meta.app_label
    )
    parts = part_model.objects.filter(site=site, state=PartState.OPEN, reviewer="")
    made = group_perm.objects.bulk_create(
        [group_perm(group=group, content_object=p, permission=perm) for p in parts],
        ignore_conflicts=True,
    )
    return len(made)

"""DRF glue over permissions.access: permission classes and a filter backend. They decide
nothing themselves; every answer comes from access.py."""

from __future__ import annotations

from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import SAFE_METHODS, BasePermission

from permissions import access
from permissions.roles import Action, SitePerm


class IsStaff(BasePermission):
    """An active account holding at least one role grant at any site. An account without
    roles (a leftover, or a superuser made for the admin) gets no API access by default."""

    message = access.DENIED_MESSAGE

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and access.user_site_grants(user=user).rows)


class CaseVisibilityFilter(BaseFilterBackend):
    """Narrows a view's Case queryset to what the user may view (one set-based filter)."""

    def filter_queryset(self, request, queryset, view):
        return access.case_queryset_for_user(user=request.user, queryset=queryset)


class CaseAccess(IsStaff):
    """Object check for Case views: reads need view, writes need handle. Views that look
    cases up themselves should call access.access_case instead (same rule, one query)."""

    def has_object_permission(self, request, view, obj) -> bool:
        action = Action.VIEW if request.method in SAFE_METHODS else Action.HANDLE
        access.access_case(user=request.user, number=obj.number, action=action)
        return True


def site_permission(perm: SitePerm, *, subtree: bool = False) -> type[BasePermission]:
    """A permission class requiring `perm` at the site named by the URL kwarg `code`
    (or the view's `get_permission_site()`); `subtree`: or at a site above it."""

    class SitePermission(IsStaff):
        def has_permission(self, request, view) -> bool:
            if not super().has_permission(request, view):
                return False
            getter = getattr(view, "get_permission_site", None)
            code = getter() if getter else view.kwargs.get("code")
            access.access_site(user=request.user, code=code, perm=perm, subtree=subtree)
            return True

    SitePermission.__name__ = f"Site_{perm.value}"
    return SitePermission


def case_for_request(request, *, number: str, action: Action = Action.VIEW):
    """access.access_case for the request's user (404/403 per the decision record)."""
    return access.access_case(user=request.user, number=number, action=action)

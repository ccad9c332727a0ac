"""DRF glue over permissions.access: permission classes. They decide nothing themselves;
every answer comes from access.py. The case glue (filter backend, object check) is in
sites.cases.access."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from permissions import access
from permissions.roles import SitePerm


class IsStaff(BasePermission):
    """An active account holding at least one role grant at any site. An account without
    roles (a leftover, or a superuser made for the admin) gets no API access by default."""

    message = access.DENIED_MESSAGE

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and access.user_site_grants(user=user).rows)


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

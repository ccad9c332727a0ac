"""API routes of this app, included under /api/."""

from django.urls import path

from permissions import api

urlpatterns = [
    path("auth/token/", api.TokenObtain.as_view(), name="auth-token"),
    path("auth/token/revoke/", api.TokenRevoke.as_view(), name="auth-token-revoke"),
    path("auth/me/", api.Me.as_view(), name="auth-me"),
    path("permissions/roles/", api.RoleList.as_view(), name="permissions-role-list"),
    path(
        "permissions/sites/<slug:code>/staff/",
        api.SiteStaffList.as_view(),
        name="permissions-site-staff",
    ),
]

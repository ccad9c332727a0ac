"""Admin: role groups and login locks are visible; grants are derived, so read-only here."""

from django.contrib import admin

from permissions.auth import login_unlock
from permissions.models import LoginThrottle, RoleGroup


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    list_display = ["site", "role", "group"]
    list_filter = ["role", "site__tier"]
    search_fields = ["site__code", "site__name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # grants are derived from the role: use hall staff-grant / services


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    list_display = ["username", "failures", "last_failure_at", "last_failure_ip", "locked_until"]
    search_fields = ["username"]
    actions = ["unlock"]

    @admin.action(description="解除锁定")
    def unlock(self, request, queryset) -> None:
        for row in queryset:
            login_unlock(username=row.username)

    def has_add_permission(self, request) -> bool:
        return False

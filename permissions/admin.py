"""Admin: role groups are visible; grants are derived, so read-only here. Login locks are
django-axes' access attempts (its own admin: delete a row to unlock)."""

from django.contrib import admin

from permissions.models import RoleGroup


@admin.register(RoleGroup)
class RoleGroupAdmin(admin.ModelAdmin):
    list_display = ["site", "role", "group"]
    list_filter = ["role", "site__tier"]
    search_fields = ["site__code", "site__name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # grants are derived from the role: use hall staff-grant / services

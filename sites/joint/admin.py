"""Admin: the county's joint-approval rule is edited here; parts and deductions are shown."""

from django.contrib import admin

from sites.joint.models import JointRule, Part, WindowDeduction


@admin.register(JointRule)
class JointRuleAdmin(admin.ModelAdmin):
    list_display = ["deemed_points", "restart_on_reassign", "updated_at"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Part)
class PartAdmin(ReadOnly):
    list_display = ["key", "department", "site", "state", "opinion", "deadline", "generation"]
    list_filter = ["state", "opinion"]
    search_fields = ["key", "case_number"]


@admin.register(WindowDeduction)
class WindowDeductionAdmin(ReadOnly):
    list_display = ["site", "department", "window_number", "points", "reason", "at"]

"""The ledger in the admin is read-only: points change only through services (traceable)."""

from django.contrib import admin

from county.assessment.models import AssessedStaff, AssessedWindow, Award, Inspection, PointEntry


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnly):
    list_display = ["occurred_on", "window", "staff", "rule", "points", "source_type", "source_id"]
    list_filter = ["source_type", "rule"]
    search_fields = ["source_id", "window__name", "staff__name"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnly):
    list_display = ["inspected_at", "window", "staff", "finding", "inspector"]


@admin.register(Award)
class AwardAdmin(ReadOnly):
    list_display = ["period", "kind", "window", "staff", "grade", "rank", "score"]


@admin.register(AssessedWindow)
class AssessedWindowAdmin(admin.ModelAdmin):
    list_display = ["site_code", "number", "name", "department_name"]


@admin.register(AssessedStaff)
class AssessedStaffAdmin(admin.ModelAdmin):
    list_display = ["site_code", "username", "name", "window", "sent_back"]
    list_filter = ["sent_back"]

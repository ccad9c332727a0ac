from django.contrib import admin

from sites.registry.models import Department, Site, Staff


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tier", "parent"]
    list_filter = ["tier"]
    readonly_fields = ["path"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "site", "window"]
    list_filter = ["site"]
    search_fields = ["name", "user__username"]

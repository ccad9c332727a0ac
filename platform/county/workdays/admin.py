"""Calendar admin: when the State Council announces a new year, enter it here."""

from django.conf import settings
from django.contrib import admin

from county.workdays.models import CalendarDay, CalendarSource, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ["date", "kind", "name"]
    extra = 3


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "notice", "updated_at"]
    fields = ["year", "notice"]
    inlines = [CalendarDayInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return getattr(settings, "HALL_AUTHORS_CATALOGUE", False) and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request) -> bool:
        return getattr(settings, "HALL_AUTHORS_CATALOGUE", False) and super().has_add_permission(
            request
        )

    def save_model(self, request, obj, form, change):
        obj.source = CalendarSource.MANUAL  # a year edited by hand is the county's word
        super().save_model(request, obj, form, change)

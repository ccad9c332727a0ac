"""Calendar admin: when the State Council announces a new year, enter it here."""

from django.conf import settings
from django.contrib import admin

from county.catalogue.release import catalogue_release_cut
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

    def save_related(self, request, form, formsets, change):
        # The admin saves the year and its days in one transaction: the release goes in it.
        super().save_related(request, form, formsets, change)
        catalogue_release_cut()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        catalogue_release_cut()

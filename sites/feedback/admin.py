from django.contrib import admin

from sites.feedback.models import Complaint, Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["case_number", "level", "channel", "given_site", "window_number", "follow_up"]
    list_filter = ["level", "channel", "follow_up", "appeal"]
    search_fields = ["case_number"]
    readonly_fields = ["case_number", "level", "channel", "given_at", "given_site"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["number", "case_number", "step", "upheld", "reply_due"]
    list_filter = ["step", "upheld"]
    search_fields = ["number", "case_number"]
    readonly_fields = ["number", "case_number", "content", "filed_at", "filed_site"]

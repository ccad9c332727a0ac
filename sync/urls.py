"""API routes of this app, included under /api/."""

from django.urls import path

from sync.views import SyncStatus

urlpatterns = [path("sync/status/", SyncStatus.as_view(), name="sync-status")]

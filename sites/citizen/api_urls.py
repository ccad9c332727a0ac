"""API routes of this app, included under /api/."""

from django.urls import path

from sites.citizen import api

urlpatterns = [
    path("public/case-status/", api.CaseStatusQuery.as_view(), name="public-case-status"),
]

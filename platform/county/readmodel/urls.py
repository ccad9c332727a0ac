"""API routes of this app, included under /api/."""

from django.urls import path

from county.readmodel import views

urlpatterns = [path("readmodel/followed/", views.followed, name="readmodel-followed")]

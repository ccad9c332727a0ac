"""API routes of joint approvals, under /api/."""

from django.urls import path

from sites.joint import api

urlpatterns = [
    path("parts/", api.PartList.as_view(), name="part-list"),
    path("parts/stalled/", api.StalledPartList.as_view(), name="part-stalled"),
    path("parts/<str:number>/<slug:department>/", api.PartDetail.as_view(), name="part-detail"),
    path(
        "parts/<str:number>/<slug:department>/opinion/",
        api.PartOpinion.as_view(),
        name="part-opinion",
    ),
    path(
        "parts/<str:number>/<slug:department>/reassign/",
        api.PartReassign.as_view(),
        name="part-reassign",
    ),
    path("cases/<str:number>/parts-open/", api.CasePartsOpen.as_view(), name="case-parts-open"),
    path("cases/<str:number>/countersign/", api.CaseCountersign.as_view(), name="case-countersign"),
]

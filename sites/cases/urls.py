"""API routes of this app, under /api/: case-list, case-detail, case-<action> (one per row of
the action table that has an API summary: sites.cases.actions)."""

from django.urls import path

from sites.cases import access_api, api

urlpatterns = [
    path("cases/", api.CaseList.as_view(), name="case-list"),
    path("cases/<str:number>/", api.CaseDetail.as_view(), name="case-detail"),
    path("cases/<str:number>/notices/<str:kind>/", api.CaseNotice.as_view(), name="case-notice"),
    path(
        "permissions/cases/<str:number>/",
        access_api.CaseAccessView.as_view(),
        name="permissions-case-access",
    ),
    *(
        path(f"cases/<str:number>/{name}/", view.as_view(), name=f"case-{name}")
        for name, view in api.action_views().items()
    ),
]

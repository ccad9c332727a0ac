from django.urls import path

from sites.workbench import follow, views

app_name = "workbench"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("shoujian/", views.intake, name="intake"),
    path("daiban/", follow.followed, name="followed"),
    path("banjian/<str:number>/", views.case_page, name="case"),
    path("banjian/<str:number>/caozuo/<str:name>/", views.case_act, name="act"),
    path("banjian/<str:number>/tongzhishu/<str:kind>/", views.notice, name="notice"),
]

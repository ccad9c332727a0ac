from django.urls import path

from sites.workbench import follow, joint, views

app_name = "workbench"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("shoujian/", views.intake, name="intake"),
    path("daiban/", follow.followed, name="followed"),
    path("lianban/tingzhi/", joint.stalled, name="stalled"),
    path("lianban/<str:number>/<str:department>/gaipai/", joint.reassign, name="reassign"),
    path("huiqian/", joint.countersign_list, name="countersign"),
    path("banjian/<str:number>/", views.case_page, name="case"),
    path("banjian/<str:number>/caozuo/<str:name>/", views.case_act, name="act"),
    path("banjian/<str:number>/tongzhishu/<str:kind>/", views.notice, name="notice"),
]

from django.urls import path

from sites.workbench import calling, follow, joint, prereview, views

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
    path("jiaohao/", calling.calling, name="calling"),
    path("jiaohao/chuangkou/", calling.calling_window, name="calling-window"),
    path("jiaohao/<str:action>/", calling.calling_act, name="calling-act"),
    path("paidui/tongji/", calling.queue_statistics, name="queue-stats"),
    path("yushen/", prereview.prereview_list, name="prereview-list"),
    path("yushen/<str:number>/", prereview.prereview_page, name="prereview"),
    path(
        "yushen/<str:number>/wenjian/<int:file_id>/",
        prereview.prereview_file,
        name="prereview-file",
    ),
    path("yushen/<str:number>/<str:action>/", prereview.prereview_act, name="prereview-act"),
]

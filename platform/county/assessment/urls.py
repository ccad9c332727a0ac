from django.urls import path

from county.assessment import office, views

app_name = "assessment"
urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("daochu/", views.ranking_export, name="export"),
    path("fabu/", views.awards_publish_view, name="publish"),
    path("chuangkou/<int:pk>/", views.window_page, name="window"),
    path("jiancha/", views.inspection_page, name="inspections"),
    path("tousu/", office.complaint_list, name="complaints"),
    path("tousu/<int:pk>/", office.complaint_step, name="complaint-step"),
    path("chaping/", office.rating_list, name="ratings"),
    path("tousu/<int:pk>/chuli/", office.complaint_handle, name="complaint-handle"),
    path("chaping/<int:pk>/", office.rating_step, name="rating-step"),
    path("chaping/<int:pk>/hecha/", office.rating_verify, name="rating-verify"),
    path("chaping/<int:pk>/shensu/", office.rating_appeal_by_window, name="rating-appeal"),
]

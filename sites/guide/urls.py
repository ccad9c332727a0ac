from django.urls import path

from sites.guide import views

app_name = "guide"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("<str:code>/", views.guide_page, name="item"),
]

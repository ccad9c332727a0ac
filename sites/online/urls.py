from django.urls import path

from sites.online import views

app_name = "online"

urlpatterns = [
    path("chaxun/", views.status, name="status"),
    path("<str:code>/", views.apply, name="apply"),
]

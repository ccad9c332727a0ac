from django.urls import path

from sites.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.sms_log, name="log"),
]

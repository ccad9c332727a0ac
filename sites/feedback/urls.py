from django.urls import path

from sites.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.citizen_page, name="citizen"),
    path("paidui/<str:token>/", views.ticket_page, name="ticket"),
    path("chuangkou/<str:number>/", views.window_device, name="device"),
]

from django.urls import path

from sites.queueing import views

app_name = "queueing"

urlpatterns = [
    path("yuyue/", views.booking, name="booking"),
    path("yuyue/quxiao/", views.booking_cancel, name="booking-cancel"),
    path("quhao/", views.kiosk, name="kiosk"),
    path("quhao/qu/", views.kiosk_take, name="take"),
    path("quhao/qiandao/", views.kiosk_check_in, name="check-in"),
    path("quhao/hao/<str:token>/", views.ticket_page, name="ticket"),
    path("xianshi/", views.display, name="display"),
    path("xianshi/shuju/", views.display_data, name="display-data"),
]

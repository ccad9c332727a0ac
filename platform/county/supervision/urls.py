from django.urls import path

from county.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("daochu.xlsx", views.export, name="export"),
    path("yuebao/<str:code>/<str:month>/", views.report, name="report"),
    path("yujing/", views.alerts, name="alerts"),
    path("duban/", views.orders, name="orders"),
    path("duban/xin/", views.order_new, name="order-new"),
    path("duban/<str:code>/dafu/", views.order_reply, name="order-reply"),
]

from django.urls import path

from sites.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.pending, name="pending"),
    path("<str:number>/", views.delivery_page, name="delivery"),
    path("<str:number>/<str:action>/", views.delivery_act, name="act"),
]

from django.urls import path

from county.rules import views

app_name = "rules"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("<str:key>/", views.rule_edit, name="edit"),
]

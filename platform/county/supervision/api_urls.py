from django.urls import path

from county.supervision import api

urlpatterns = [
    path("supervision/figures/", api.Figures.as_view(), name="supervision-figures"),
    path("supervision/trend/", api.Trend.as_view(), name="supervision-trend"),
    path("supervision/alerts/", api.Alerts.as_view(), name="supervision-alerts"),
    path("supervision/orders/", api.Orders.as_view(), name="supervision-orders"),
    path(
        "supervision/orders/<str:code>/answer/",
        api.OrderAnswer.as_view(),
        name="supervision-order-answer",
    ),
]

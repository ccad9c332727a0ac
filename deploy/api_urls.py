from django.urls import include, path

from county.catalogue import api as catalogue
from county.workdays import api as workdays
from sites.queueing import api as queueing
from sites.registry import api as registry

urlpatterns = [
    path("sites/", registry.SiteList.as_view(), name="site-list"),
    path("departments/", registry.DepartmentList.as_view(), name="department-list"),
    path("catalogue/items/", catalogue.ItemList.as_view(), name="item-list"),
    path("catalogue/items/<str:code>/", catalogue.ItemVersionDetail.as_view(), name="item-detail"),
    path(
        "catalogue/items/<str:code>/versions/",
        catalogue.ItemVersionList.as_view(),
        name="item-version-list",
    ),
    path(
        "catalogue/items/<str:code>/versions/<int:number>/",
        catalogue.ItemVersionDetail.as_view(),
        name="item-version-detail",
    ),
    path("catalogue/delegations/", catalogue.DelegationList.as_view(), name="delegation-list"),
    path("calendar/years/", workdays.CalendarYearList.as_view(), name="calendar-year-list"),
    path(
        "calendar/add-working-days/",
        workdays.AddWorkingDays.as_view(),
        name="calendar-add-working-days",
    ),
    path("", include("permissions.urls")),
    path("", include("sync.urls")),
    path("", include("sites.cases.urls")),
    path("", include("sites.citizen.api_urls")),
    path("", include("sites.joint.urls")),
    path("", include("county.readmodel.urls")),
    path("queue/statistics/", queueing.QueueStatisticsView.as_view(), name="queue-statistics"),
    path("", include("county.supervision.api_urls")),
]

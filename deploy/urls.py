"""URLs of a hall node. Each app adds its own routes in its `urls` module."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from county.assessment.hall_page import hall_page
from county.supervision.sms import sms_watch
from deploy.views import healthz, home
from permissions.views import StaffLoginView, StaffLogoutView
from sites.citizen.views import case_status_page
from sites.registry.tier import here

admin.site.site_header = "政务服务大厅平台"
admin.site.site_title = "政务服务大厅平台"
admin.site.index_title = "管理"

urlpatterns = [
    path("", home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("accounts/login/", StaffLoginView.as_view(), name="login"),
    path("accounts/logout/", StaffLogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("chaxun/", case_status_page, name="citizen-case-status"),
    path("pingjia/", include("sites.feedback.urls")),
    path("gongzuotai/songda/", include("sites.delivery.urls")),  # 送达 (before the workbench)
    path("gongzuotai/", include("sites.workbench.urls")),
    path("api/", include("deploy.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include("sites.queueing.urls")),  # 预约, 取号, 叫号显示 (citizens, no account)
    path("zhinan/", include("sites.guide.urls")),  # 办事指南
    path("wangshang/", include("sites.online.urls")),  # 网上申报
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger"),
    path("jiancha/", include("county.supervision.urls")),  # 电子监察 (county and halls)
    path("benzhan-kaohe/", hall_page, name="assessment-hall"),  # 本站考核 (every hall)
    path("duanxin/jiancha/", sms_watch, name="sms-watch"),  # 短信监察 (the county)
    path("duanxin/", include("sites.notify.urls")),  # 短信记录 (each hall), 短信监察 (county)
]

if here().keeps_read_model:  # the view across sites lives at the county only
    from county.graph.views import graphql_view

    urlpatterns.append(path("graphql/", graphql_view, name="graphql"))
    urlpatterns.append(path("guize/", include("county.rules.urls")))
    urlpatterns.append(path("kaohe/", include("county.assessment.urls")))

# Chinese error pages (deploy/errors.py)
handler400 = "deploy.errors.bad_request"
handler403 = "deploy.errors.permission_denied"
handler404 = "deploy.errors.page_not_found"
handler500 = "deploy.errors.server_error"

if here().keeps_read_model:  # halls ask about the cases filed there (signed, not staff)
    from county.readmodel.views import followed

    urlpatterns.append(path("halls/followed/", followed, name="readmodel-followed"))
    from county.assessment.hall_api import hall_assessment_view

    urlpatterns.append(path("halls/kaohe/", hall_assessment_view, name="assessment-hall-answer"))

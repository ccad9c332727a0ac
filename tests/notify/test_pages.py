"""短信记录 (each hall) and 短信监察 (county): who may open them, masking, filters, figures."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from permissions.roles import Role
from permissions.services import role_grant
from sites.notify.models import Notification, NotifyReport, Status
from sites.notify.services import notify
from sites.notify.worker import send_due
from sites.registry.models import Staff
from tests.cases.factories import PHONE, case_make, clerk

pytestmark = pytest.mark.django_db


def person(site, role, name="王五"):
    user = get_user_model().objects.create_user(
        username=f"{site.code}-{role}-{get_user_model().objects.count()}"
    )
    Staff.objects.create(user=user, name=name, site=site)
    role_grant(user=user, site=site, role=role)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_hall_clerk_sees_this_halls_sms_with_masked_phones(township):
    user = person(township, Role.CLERK)
    case = case_make(by=clerk(township))
    send_due()  # the demo gateway
    page = client_for(user).get("/duanxin/")
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html and "收件回执" in html and "已发送" in html
    assert "138****5678" in html and PHONE not in html
    assert "演示短信网关收到的短信" in html
    assert 'href="/duanxin/"' in html  # in the menu


def test_anonymous_is_sent_to_login(township):
    page = Client().get("/duanxin/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    page = Client().get("/duanxin/jiancha/")
    assert page.status_code == 302


def test_a_clerk_of_another_hall_is_refused(halls, at_site):
    village_clerk = person(halls["v-shiqiao"], Role.CLERK)
    at_site("t-maan")
    page = client_for(village_clerk).get("/duanxin/")
    assert page.status_code == 403
    assert 'href="/duanxin/"' not in client_for(village_clerk).get("/").content.decode()


def test_the_county_list_is_refused_at_a_township_and_to_a_county_clerk(halls, at_site):
    at_site("t-maan")
    chief = person(halls["t-maan"], Role.CHIEF_REPRESENTATIVE)
    assert client_for(chief).get("/duanxin/jiancha/").status_code == 403  # wrong tier
    at_site("county")
    county_clerk = person(halls["county"], Role.CLERK)
    assert client_for(county_clerk).get("/duanxin/jiancha/").status_code == 403
    assert client_for(county_clerk).get("/duanxin/").status_code == 200  # its own hall's


def test_the_county_supervisor_sees_failures_and_monthly_figures(halls, at_site):
    at_site("county")
    now = timezone.now()
    for i, status in enumerate([Status.SENT, Status.SENT, Status.FAILED]):
        NotifyReport.objects.create(
            site="t-maan",
            key=f"k{i}",
            case_number=f"t-maan-20261207-000{i}",
            kind="decided",
            status=status,
            attempts=6 if status == Status.FAILED else 1,
            error="网关返回 500" if status == Status.FAILED else "",
            created_at=now,
            done_at=now,
        )
    supervisor = person(halls["county"], Role.COUNTY_SUPERVISOR)
    page = client_for(supervisor).get("/duanxin/jiancha/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "t-maan-20261207-0002" in html and "网关返回 500" in html and "马鞍" in html
    assert "t-maan-20261207-0000" not in html  # sent ones are only counted
    row = html.split('id="sms-figures"')[1]
    assert "<td>2</td><td>1</td>" in row
    assert 'href="/duanxin/jiancha/"' in client_for(supervisor).get("/").content.decode()


def test_a_bad_filter_is_answered_400_beside_the_field(township):
    user = person(township, Role.CLERK)
    page = client_for(user).get("/duanxin/", {"status": "nonsense", "page": "-3"})
    assert page.status_code == 400
    assert "请改正以下问题" in page.content.decode()
    assert client_for(user).get("/duanxin/", {"page": "99999"}).status_code == 200


def test_filter_by_status(township):
    user = person(township, Role.CLERK)
    notify(None, "queue_near", phone=PHONE, ticket="A7", ahead=3, window="1号窗口")
    Notification.objects.update(status=Status.FAILED)
    html = client_for(user).get("/duanxin/", {"status": "sent"}).content.decode()
    assert "A7" not in html
    html = client_for(user).get("/duanxin/", {"status": "failed"}).content.decode()
    assert "A7" in html and "发送失败" in html


def test_a_county_role_without_supervision_is_refused_at_the_township(halls, at_site):
    """Wrong tier: the county's catalogue administrator has nothing to do with a township's
    SMS; the county's supervisor (over every hall) may read them."""
    catalogue = person(halls["county"], Role.CATALOGUE_ADMIN)
    supervisor = person(halls["county"], Role.COUNTY_SUPERVISOR)
    at_site("t-maan")
    assert client_for(catalogue).get("/duanxin/").status_code == 403
    assert client_for(supervisor).get("/duanxin/").status_code == 200
    assert client_for(supervisor).get("/duanxin/jiancha/").status_code == 403  # not here

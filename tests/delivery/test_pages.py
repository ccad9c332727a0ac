"""送达 pages: the 未领取 list, 登记领取 (pickup code + ID check) with errors beside the
fields, 登记邮寄, the citizen query showing 待领取/已领取/已寄出 and the download; who is
refused (anonymous, wrong tier, wrong site)."""

import pytest
from django.test import Client
from django.urls import reverse

from permissions.roles import Role
from permissions.services import staff_create
from sites.delivery.models import Delivery, DeliveryStatus
from tests.cases.factories import ID_NUMBER
from tests.delivery.conftest import query_code_issue

pytestmark = pytest.mark.django_db


def client_for(site, role=Role.CLERK, name="w"):
    user = staff_create(
        username=f"{site.code}-{role}-{name}", name="王五", site=site, roles=[role], password=None
    )
    web = Client()
    web.force_login(user)
    return web


def _urls(case):
    number = case.number
    return {
        "list": reverse("delivery:pending"),
        "page": reverse("delivery:delivery", args=[number]),
        "collect": reverse("delivery:act", args=[number, "lingqu"]),
        "post": reverse("delivery:act", args=[number, "youji"]),
    }


def test_the_window_collects_with_code_and_id(concluded, township):
    web = client_for(township)
    urls = _urls(concluded)
    listed = web.get(urls["list"]).content.decode()
    assert concluded.number in listed and "登记送达" in listed
    assert ID_NUMBER not in listed
    code = concluded.delivery.pickup_code
    done = web.post(urls["collect"], {"pickup_code": code, "collector_id_number": ID_NUMBER})
    assert done.status_code == 302
    page = web.get(done.url).content.decode()
    assert "已领取" in page and "110105********002X" in page and ID_NUMBER not in page
    assert concluded.number not in web.get(urls["list"]).content.decode()


def test_wrong_code_or_id_is_400_with_the_error_beside_the_field(concluded, township):
    web = client_for(township)
    urls = _urls(concluded)
    code = concluded.delivery.pickup_code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    bad = web.post(urls["collect"], {"pickup_code": wrong, "collector_id_number": ID_NUMBER})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="lingqu-pickup_code-error"' in html and "取件码不正确" in html
    bad = web.post(
        urls["collect"], {"pickup_code": code, "collector_id_number": "110105198001010016"}
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="lingqu-collector_id_number-error"' in html and "不一致" in html
    bad = web.post(urls["collect"], {"pickup_code": code, "collector_id_number": "x" * 500})
    assert bad.status_code == 400
    assert Delivery.objects.get(case=concluded).status == DeliveryStatus.PENDING


def test_post_is_registered_and_the_citizen_sees_it(concluded, township_node):
    web = client_for(township_node)
    urls = _urls(concluded)
    form = {
        "address": "马鞍镇人民路1号",
        "recipient_phone": "13812345678",
        "carrier": "中国邮政EMS",
        "tracking_number": "EM123456789CN",
    }
    assert web.post(urls["post"], form).status_code == 302
    code = query_code_issue(case=concluded)
    answer = Client().post(
        reverse("citizen-case-status"), {"number": concluded.number, "query_code": code}
    )
    html = answer.content.decode()
    assert "已寄出" in html and "EM123456789CN" in html and "13812345678" not in html


def test_citizen_sees_pending_then_downloads_the_result(concluded, township_node):
    code = query_code_issue(case=concluded)
    web = Client()
    html = web.post(
        reverse("citizen-case-status"), {"number": concluded.number, "query_code": code}
    ).content.decode()
    assert "待领取" in html and "下载办理结果" in html
    got = web.post(
        reverse("citizen-case-status"),
        {"number": concluded.number, "query_code": code, "download": "1"},
    )
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    assert "办结通知书" in got.content.decode() or "决定书" in got.content.decode()
    assert Delivery.objects.get(case=concluded).downloaded_at is not None
    assert "pickup-code" not in got.content.decode()  # the pickup code stays on paper
    wrong = web.post(
        reverse("citizen-case-status"),
        {"number": concluded.number, "query_code": "WRONG1", "download": "1"},
    )
    assert wrong.status_code == 400


def test_pickup_code_is_printed_on_the_decision_notice(concluded, township):
    web = client_for(township)
    notice = web.get(reverse("workbench:notice", args=[concluded.number, "decision"]))
    assert (
        concluded.delivery.pickup_code in notice.content.decode()
        and "取件码" in notice.content.decode()
    )


def test_anonymous_is_sent_to_login(concluded, township):
    for url in _urls(concluded).values():
        got = (
            Client().get(url) if "lingqu" not in url and "youji" not in url else Client().post(url)
        )
        assert got.status_code == 302 and "/accounts/login/" in got.url


def test_wrong_tier_is_refused(concluded, township, halls):
    """A county supervisor and a village agent do not hand out results at 马鞍镇."""
    for site, role in (
        (halls["county"], Role.COUNTY_SUPERVISOR),
        (halls["v-shiqiao"], Role.VILLAGE_AGENT),
    ):
        web = client_for(site, role)
        urls = _urls(concluded)
        assert web.get(urls["list"]).status_code == 403
        assert web.get(urls["page"]).status_code == 403
        code = concluded.delivery.pickup_code
        got = web.post(urls["collect"], {"pickup_code": code, "collector_id_number": ID_NUMBER})
        assert got.status_code == 403
    assert Delivery.objects.get(case=concluded).status == DeliveryStatus.PENDING


def test_wrong_site_is_refused(concluded, township, halls, at_site):
    """A clerk of 黄滩镇 at 马鞍镇's node is refused; 马鞍镇's clerk at 黄滩镇's node finds
    no such result there."""
    other = client_for(halls["t-huangtan"], Role.CLERK, "h")
    urls = _urls(concluded)
    code = concluded.delivery.pickup_code
    assert other.get(urls["page"]).status_code == 403
    assert (
        other.post(
            urls["collect"], {"pickup_code": code, "collector_id_number": ID_NUMBER}
        ).status_code
        == 403
    )
    mine = client_for(township)
    at_site("t-huangtan")
    assert mine.get(urls["page"]).status_code in (403, 404)
    got = mine.post(urls["collect"], {"pickup_code": code, "collector_id_number": ID_NUMBER})
    assert got.status_code in (403, 404)
    assert Delivery.objects.get(case=concluded).status == DeliveryStatus.PENDING


def test_menu_offers_the_delivery_list_to_the_window(township):
    home = client_for(township).get("/").content.decode()
    assert reverse("delivery:pending") in home and "结果送达" in home
    assert reverse("delivery:pending") not in Client().get("/").content.decode()


def test_the_case_page_links_to_its_delivery(concluded, township):
    page = client_for(township).get(reverse("workbench:case", args=[concluded.number]))
    assert reverse("delivery:delivery", args=[concluded.number]) in page.content.decode()


def test_the_county_query_shows_what_a_township_reported(halls, at_site, client):
    """A township's result, heard at the county (its delivery.changed applied there): the
    citizen asking the county's /chaxun/ sees 已领取 without the township's data."""
    from django.utils import timezone

    from sites.delivery.models import DeliveryRecord
    from tests.delivery.conftest import concluded_with_code

    at_site("county")
    user = staff_create(
        username="county-q", name="王五", site=halls["county"], roles=[Role.CLERK], password=None
    )
    case, code = concluded_with_code(by=user)
    Delivery.objects.filter(case=case).delete()  # as if delivered at another hall
    DeliveryRecord.objects.filter(number=case.number).update(
        site_code="t-maan", status=DeliveryStatus.COLLECTED, delivered_at=timezone.now()
    )
    html = client.post(
        reverse("citizen-case-status"), {"number": case.number, "query_code": code}
    ).content.decode()
    assert "已领取" in html and "download-result" not in html

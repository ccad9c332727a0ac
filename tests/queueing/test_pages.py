"""The citizen's pages (booking, kiosk, ticket, display, guide) and the window's calling and
statistics pages, with who is refused."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from permissions.roles import Role
from permissions.services import staff_create
from sites.queueing.models import Appointment, Ticket, TicketStatus

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


def staff_client(site, role=Role.CLERK, name="clerk"):
    user = staff_create(
        username=f"{site.code}-{name}", name="王五", site=site, roles=[role], password=None
    )
    web = Client()
    web.force_login(user)
    return web


def test_kiosk_take_ticket_page_and_display(hall):
    web = Client()
    page = web.get(reverse("queueing:kiosk")).content.decode()
    assert "民政局" in page and "人社局" in page and "预约签到" in page
    taken = web.post(reverse("queueing:take"), {"department": "mzj"})
    ticket = Ticket.objects.get()
    assert taken.status_code == 302 and taken.url == reverse("queueing:ticket", args=[ticket.token])
    slip = web.get(taken.url).content.decode()
    assert "M001" in slip and "您前面还有" in slip
    assert web.post(reverse("queueing:take"), {"department": "nope"}).status_code == 404
    data = web.get(reverse("queueing:display-data")).json()
    assert data["calls"] == [] and {"name": "民政局", "waiting": 1} in data["board"]
    assert "display.js" in web.get(reverse("queueing:display")).content.decode()


def test_booking_receipt_masks_the_phone_then_cancel(hall):
    web = Client()
    page = web.get(reverse("queueing:booking"), {"department": "mzj"}).content.decode()
    slot = re.search(r'name="slot" value="([^"]+)"', page).group(1)
    made = web.post(
        reverse("queueing:booking") + "?department=mzj",
        {"department": "mzj", "slot": slot, "phone": PHONE},
    )
    html = made.content.decode()
    appointment = Appointment.objects.get()
    assert made.status_code == 200 and appointment.code in html
    assert "138****5678" in html and PHONE not in html
    again = web.post(
        reverse("queueing:booking"), {"department": "mzj", "slot": slot, "phone": PHONE}
    )
    assert again.status_code == 400 and "重复预约" in again.content.decode()
    wrong = web.post(reverse("queueing:booking-cancel"), {"code": appointment.code, "phone": "1"})
    assert "未找到预约" in wrong.content.decode()
    done = web.post(reverse("queueing:booking-cancel"), {"code": appointment.code, "phone": PHONE})
    assert 'id="cancelled"' in done.content.decode()


def test_a_refused_booking_shows_each_error_beside_its_field(hall):
    web = Client()
    page = web.get(reverse("queueing:booking"), {"department": "mzj"}).content.decode()
    slot = re.search(r'name="slot" value="([^"]+)"', page).group(1)
    no_slot = web.post(reverse("queueing:booking"), {"department": "mzj", "phone": PHONE})
    assert no_slot.status_code == 400
    html = no_slot.content.decode()
    assert 'href="#id_slot"' in html and 'id="id_slot-error"' in html
    assert f'value="{PHONE}"' in html  # what was typed is kept
    bad_phone = web.post(
        reverse("queueing:booking"), {"department": "mzj", "slot": slot, "phone": "12"}
    )
    assert bad_phone.status_code == 400
    html = bad_phone.content.decode()
    assert 'href="#id_phone"' in html and 'id="id_phone-error"' in html
    assert html.index('<label for="id_phone">') < html.index('id="id_phone-error"')  # label above
    assert not Appointment.objects.exists()


def test_window_calls_next_recall_finish_and_statistics(hall, settings):
    settings.HALL_QUEUE_RATING_URL = "/pingjia/paidui/{token}/"
    citizen = Client()
    citizen.post(reverse("queueing:take"), {"department": "mzj"})
    ticket = Ticket.objects.get()
    web = staff_client(hall)
    assert "选择窗口" in web.get(reverse("workbench:calling")).content.decode()
    from sites.registry.models import Window

    window = Window.objects.get(site=hall, number="1")
    web.post(reverse("workbench:calling-window"), {"window": window.pk})
    web.post(reverse("workbench:calling-act", args=["next"]))
    page = web.get(reverse("workbench:calling")).content.decode()
    assert 'id="current">M001' in page
    web.post(reverse("workbench:calling-act", args=["recall"]), {"ticket": ticket.pk})
    calls = citizen.get(reverse("queueing:display-data")).json()["calls"]
    assert calls[0]["label"] == "M001" and calls[0]["window"] == "1"
    assert calls[0]["key"].endswith("-2")
    slip = citizen.get(reverse("queueing:ticket", args=[ticket.token])).content.decode()
    assert "1号窗口" in slip
    web.post(reverse("workbench:calling-act", args=["finish"]), {"ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.DONE
    slip = citizen.get(reverse("queueing:ticket", args=[ticket.token])).content.decode()
    assert f"/pingjia/paidui/{ticket.token}/" in slip
    stats = web.get(reverse("workbench:queue-stats")).content.decode()
    assert "民政局" in stats and 'id="overall-p50">0.0' in stats


def test_calling_and_statistics_refuse_anonymous_wrong_site_and_wrong_tier(hall, halls):
    urls = [reverse("workbench:calling"), reverse("workbench:queue-stats")]
    for url in urls:
        assert Client().get(url).status_code == 302  # to the login page
    posts = [
        (reverse("workbench:calling-act", args=["next"]), {}),
        (reverse("workbench:calling-window"), {"window": 1}),
    ]
    for url, data in posts:
        assert Client().post(url, data).status_code == 302
    other_township = staff_client(halls["t-huangtan"], name="other")  # a clerk of another hall
    village_agent = staff_client(halls["v-shiqiao"], Role.VILLAGE_AGENT, name="agent")
    county_supervisor = staff_client(halls["county"], Role.COUNTY_SUPERVISOR, name="sup")
    for web in (other_township, village_agent, county_supervisor):
        assert web.get(urls[0]).status_code == 403
        for url, data in posts:
            assert web.post(url, data).status_code == 403
    assert other_township.get(urls[1]).status_code == 403
    assert village_agent.get(urls[1]).status_code == 403
    assert county_supervisor.get(urls[1]).status_code == 200  # the county supervises
    assert not Ticket.objects.exists()


def test_guide_list_search_item_halls_and_kiosk_mode(hall):
    web = Client()
    listed = web.get(reverse("guide:list"), {"q": "救助"}).content.decode()
    assert "临时救助" in listed and "最低生活保障" not in listed
    page = web.get(reverse("guide:item", args=["mzj-002"])).content.decode()
    for fact in ("法定依据", "办理内容", "办事程序", "申报材料", "承诺时限", "收费标准"):
        assert fact in page
    assert "《社会救助暂行办法》第四十七条" in page and "可容缺" in page
    assert "青山县政务服务中心" in page or "县政务服务中心" in page
    assert "马鞍镇便民服务中心" in page
    assert (
        '<body class="big">'  # large type for the touch screen (hall.css)
        in web.get(reverse("guide:item", args=["mzj-002"]), {"kiosk": "1"}).content.decode()
    )
    assert web.get(reverse("guide:item", args=["nope"])).status_code == 404


def test_demo_windows_give_the_kiosk_its_departments(village):
    from sites.queueing.demo import demo_windows_ensure

    assert demo_windows_ensure(site=village) == 1
    assert demo_windows_ensure(site=village) == 1  # again: nothing new
    assert "民政局" in Client().get(reverse("queueing:kiosk")).content.decode()


def test_a_number_left_waiting_yesterday_says_so_today(hall):
    from datetime import timedelta

    from django.utils import timezone

    from sites.queueing import services
    from sites.registry.models import Department

    old = services.ticket_take(
        site=hall,
        department=Department.objects.get(code="mzj"),
        at=timezone.now() - timedelta(days=1),
    )
    page = Client().get(reverse("queueing:ticket", args=[old.token])).content.decode()
    assert "已过期" in page and 'http-equiv="refresh"' not in page
    assert Client().get(reverse("queueing:display-data")).json()["board"][0]["waiting"] == 0


def test_statistics_api_for_the_county_dashboard(hall, halls):
    from rest_framework.test import APIClient

    from permissions.services import staff_create as make

    Client().post(reverse("queueing:take"), {"department": "mzj"})
    url = reverse("queue-statistics")
    assert APIClient().get(url).status_code in (401, 403)
    supervisor = APIClient()
    supervisor.force_authenticate(
        make(
            username="sup",
            name="周",
            site=halls["county"],
            roles=[Role.COUNTY_SUPERVISOR],
            password=None,
        )
    )
    answer = supervisor.get(url).json()
    assert answer["site"] == "t-maan" and answer["overall"]["taken"] == 1
    assert answer["departments"][0]["code"] == "mzj"
    assert supervisor.get(url, {"from": "2026-12-03", "to": "2026-01-01"}).status_code == 400
    other = APIClient()
    other.force_authenticate(
        make(username="o", name="王", site=halls["t-huangtan"], roles=[Role.CLERK], password=None)
    )
    assert other.get(url).status_code == 403

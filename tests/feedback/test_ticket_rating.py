"""一次一评 of a served queue number: the link on the ticket slip (/pingjia/paidui/<token>/)
rates that service once, with the window, department and clerk who served it; it travels to
the county like every rating and a bad one opens the follow-up and costs the window."""

import pytest
from django.core.exceptions import ValidationError

from county.assessment.models import PointEntry
from sites.feedback import services
from sites.feedback.models import Channel, FollowUp, Rating
from sites.queueing import services as queue
from sites.registry.models import Department, Staff, Window
from sites.registry.services import window_open
from sync.models import OutboxMessage
from tests.cases.factories import clerk
from tests.queueing.conftest import hall  # noqa: F401  (马鞍镇 with three windows)

pytestmark = pytest.mark.django_db


def serve(site, *, finish=True):
    """A walk-in of 民政局 called at the hall's 1号 window by 王五 and (by default) served."""
    user = clerk(site, "王五")
    window = Window.objects.get(site=site, number="1")
    Staff.objects.filter(user=user).update(window=window)
    ticket = queue.ticket_take(site=site, department=Department.objects.get(code="mzj"))
    called = queue.ticket_call_next(window=window, by=user)
    assert called == ticket
    if finish:
        queue.ticket_finish(window=window, ticket_id=ticket.pk, by=user)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def county_hall(halls, at_site):
    at_site("county")
    window_open(
        site=halls["county"], department=Department.objects.get(code="mzj"), number="1", name="民政"
    )
    return halls["county"]


def test_a_served_ticket_is_rated_once_and_sent_to_the_county(hall, client):  # noqa: F811
    ticket = serve(hall)
    url = f"/pingjia/paidui/{ticket.token}/"
    page = client.get(url).content.decode()
    assert "请您对本次服务进行评价" in page and ticket.label in page and "非常满意" in page
    done = client.post(url, {"level": "satisfied", "comment": "态度好"}).content.decode()
    assert "感谢您的评价" in done and "满意" in done
    rating = Rating.objects.get()
    assert (rating.ticket_label, rating.channel, rating.level) == (
        ticket.label,
        "queue",
        "satisfied",
    )
    assert (rating.window_site, rating.window_number, rating.department_code) == (
        "t-maan",
        "1",
        "mzj",
    )
    assert rating.staff_name == "王五" and rating.case_number.startswith("PD-t-maan-")
    sent = OutboxMessage.objects.get(type="feedback.rating", dest="county")
    assert ticket.label in sent.body and "王五" in sent.body

    again = client.post(url, {"level": "very_dissatisfied"}).content.decode()
    assert "一次服务只评一次" in again and "非常满意" not in again
    assert Rating.objects.get().level == "satisfied"
    assert OutboxMessage.objects.filter(type="feedback.rating").count() == 1
    with pytest.raises(ValidationError, match="一次服务只评一次"):
        services.ticket_rating_give(ticket=ticket, level="dissatisfied")


def test_a_bad_ticket_rating_opens_the_follow_up_at_the_county(county_hall, client):
    ticket = serve(county_hall)
    services.ticket_rating_give(ticket=ticket, level="dissatisfied", comment="等太久")
    rating = Rating.objects.get()
    assert rating.follow_up == FollowUp.OPEN and rating.contact_due and rating.rectify_due
    assert "待回访" in client.get(f"/pingjia/paidui/{ticket.token}/").content.decode()
    # no point before 查实 (seed 000 第十三条(六)); the window and clerk are known
    assert not PointEntry.objects.exists()
    assert rating.staff_name == "王五" and rating.window_number == "1"


def test_an_unserved_ticket_cannot_be_rated(hall, client):  # noqa: F811
    ticket = serve(hall, finish=False)  # called, at the window now
    url = f"/pingjia/paidui/{ticket.token}/"
    assert "办理结束后才能评价" in client.get(url).content.decode()
    refused = client.post(url, {"level": "satisfied"}).content.decode()
    assert "办理结束后才能评价" in refused
    with pytest.raises(ValidationError):
        services.ticket_rating_give(ticket=ticket, level="satisfied")
    skipped = queue.ticket_skip(window=ticket.window, ticket_id=ticket.pk, by=ticket.called_by)
    with pytest.raises(ValidationError):
        services.ticket_rating_give(ticket=skipped, level="satisfied")
    assert (
        not Rating.objects.exists()
        and not OutboxMessage.objects.filter(type="feedback.rating").exists()
    )


def test_an_unknown_token_or_another_halls_ticket_gets_one_answer(hall, client, at_site):  # noqa: F811
    ticket = serve(hall)
    unknown = client.post("/pingjia/paidui/no-such-token/", {"level": "satisfied"})
    at_site("county")  # the same token asked at another hall
    elsewhere = client.post(f"/pingjia/paidui/{ticket.token}/", {"level": "satisfied"})
    assert unknown.status_code == elsewhere.status_code == 404
    assert (
        "未找到该排队号" in unknown.content.decode()
        and "未找到该排队号" in elsewhere.content.decode()
    )
    assert not Rating.objects.exists()


def test_the_ticket_rating_page_is_rate_limited(hall, client, settings):  # noqa: F811
    from django.core.cache import cache

    cache.clear()
    settings.HALL_CITIZEN_QUERY_LIMITS = [(2, 60)]
    ticket = serve(hall)
    url = f"/pingjia/paidui/{ticket.token}/"
    assert client.get(url).status_code == 200
    assert client.get("/pingjia/paidui/guess/").status_code == 404
    limited = client.post(url, {"level": "satisfied"})
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()
    assert not Rating.objects.exists()


def test_the_slip_links_to_the_rating_page_by_default(hall, client):  # noqa: F811
    from sites.queueing.selectors import rating_url

    ticket = serve(hall, finish=False)
    assert rating_url(ticket) == ""  # not before service
    ticket = serve(hall)
    assert rating_url(ticket) == f"/pingjia/paidui/{ticket.token}/"
    slip = client.get(f"/quhao/hao/{ticket.token}/").content.decode()
    assert f'href="/pingjia/paidui/{ticket.token}/"' in slip
    assert Channel.QUEUE.label == "排队号评价"

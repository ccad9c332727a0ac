"""The page crawler (issue 21): every demo role at every tier follows every link from its
front page and submits every form with bad values. No 5xx, no 403 on an offered link, every
page titled, every page route reached by some role's links.

Uses Django's test client, not a browser: the whole crawl takes seconds."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.cases.conftest import halls  # noqa: F401  (the tree, calendar, sample catalogue)
from tests.cases.factories import ID_NUMBER, PHONE, at, case_make
from tests.joint.conftest import joint_case, joint_item_create
from tests.pages.crawler import SKIP_PREFIXES, Crawl, summary
from tests.pages.test_dead_ends import full_county_urls, hall  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (hall, tier, account suffix or None for the anonymous citizen)
ROLES = [
    ("v-shiqiao", "village", "agent"),
    ("v-shiqiao", "village", "clerk"),
    ("v-shiqiao", "village", None),
    ("t-maan", "township", "clerk"),
    ("t-maan", "township", "chief"),
    ("t-maan", "township", None),
    ("county", "county", "clerk"),
    ("county", "county", "supervisor"),
    ("county", "county", "catalogue"),
    ("county", "county", "auditor"),
    ("county", "county", None),
]

# Page routes no front-page link leads to, on purpose (each with its reason).
NOT_LINKED = {
    # a queue slip's own rating page: reached from the printed slip's QR code / token link
    "pingjia/paidui/<str:token>/",
    # the rating pad fixed at a window (a tablet on the counter), opened once by the hall
    "pingjia/chuangkou/<str:number>/",
    # the big screen's JSON feed, polled by the 叫号显示 page's script
    "xianshi/shuju/",
    # halls ask the county with a signed request; not a page
    "halls/followed/",
    # ... and about their own windows' assessment (本站考核 asks it); not a page
    "halls/kaohe/",
    # 申诉复核 of a rating: the form is on a window's own points page, shown only to the staff
    # seated at that window (the demo seats nobody); tests/feedback covers it
    "kaohe/chaping/<int:pk>/shensu/",
}


def _routes(patterns=None, prefix="") -> set[str]:
    found = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found |= _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            found.add(route)
    return {r for r in found if not ("/" + r).startswith(SKIP_PREFIXES) and r != "healthz/"}


def _hall_data(settings, code, tier):
    """What a hall's day leaves behind: cases in several states, a ticket, a joint case."""
    from deploy.prepare import demo_staff_ensure
    from sites.feedback import services as feedback
    from sites.online import services as online
    from sites.queueing import services as queue
    from sites.registry.models import Department
    from sites.registry.selectors import site_current

    settings.HALL_SITE, settings.HALL_TIER = code, tier
    demo_staff_ensure()
    clerk = get_user_model().objects.get(username=f"{code}-clerk")
    for state in ("submitted", "accepted", "suspended", "refused"):
        case_make(by=clerk, state=state)
    if tier == "village":
        case_make(by=clerk, state="forwarded")
    site = site_current()
    if tier == "county":
        _supervision_data()
        joint_case(by=clerk)
        joint_case(by=clerk, when=at(days_ago=12))  # its parts have stalled
    concluded = case_make(by=clerk, state="concluded") if tier != "village" else None
    if concluded is not None:
        facts = feedback.case_facts(concluded)
        feedback.complaint_file(facts=facts, content="窗口态度不好，久拖不办")
        feedback.rating_give(facts=facts, level="dissatisfied", channel="online", comment="慢")
    online.application_file(
        site=site,
        item_code="mzj-002",
        applicant_name="李四",
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        uploads=[("申请人身份证", SimpleUploadedFile("id.pdf", PDF, "application/pdf"))],
    )
    department = Department.objects.filter(windows__site=site).first()
    queue.ticket_take(site=site, department=department)


def _supervision_data():
    """A case late at the county, its red light and a 督办单 waiting for the county's answer."""
    from county.supervision.alerts import alerts_tick
    from county.supervision.orders import order_issue
    from tests.supervision.factories import Timeline, bj

    late = Timeline("county-20261110-0001", "mzj-002", "county", bj("2026-11-10", "09:00"))
    late.accept(bj("2026-11-10", "09:30"), date(2026, 11, 19))
    alerts_tick(today=date(2026, 11, 25))
    supervisor = get_user_model().objects.get(username="county-supervisor")
    order_issue(case_number="county-20261110-0001", by=supervisor, reason="催办")


@pytest.fixture
def demo_halls(halls, settings):  # noqa: F811  (the fixture above)
    from tests.cases.factories import catalogue_backdate

    full_county_urls(settings)
    joint_item_create()
    catalogue_backdate()
    for code, tier in (("county", "county"), ("t-maan", "township"), ("v-shiqiao", "village")):
        _hall_data(settings, code, tier)
    return halls


def test_every_role_crawls_without_5xx_403_or_untitled_page(demo_halls, settings):
    crawl = Crawl()
    for code, tier, suffix in ROLES:
        settings.HALL_SITE, settings.HALL_TIER = code, tier
        client = Client(raise_request_exception=False)
        if suffix:
            client.force_login(get_user_model().objects.get(username=f"{code}-{suffix}"))
        crawl.crawl(client, role=f"{code}-{suffix or 'citizen'}")
    missing = sorted(_routes() - crawl.reached - NOT_LINKED)
    found = summary(crawl.problems) + [f"orphan /{route}" for route in missing]
    print(f"{crawl.requests} requests, {len(crawl.reached)} routes reached")
    assert not found, "\n".join(found)


def test_the_crawler_reports_a_page_that_breaks_on_bad_input(hall, monkeypatch):  # noqa: F811
    """The crawler itself can fail: the inbox as it was (int() of ?size=) is caught."""
    from sites.cases.forms import ListQuery

    def as_before(self, default_size):
        return 1, int(self.data.get("size") or default_size)  # a 500 on ?size=abc

    monkeypatch.setattr(ListQuery, "page_and_size", as_before)
    hall("t-maan")
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="t-maan-clerk"))
    crawl = Crawl()
    crawl.crawl(client, role="t-maan-clerk", limit=3)
    assert any(p.kind == "5xx" and "/gongzuotai/" in p.url for p in crawl.problems)

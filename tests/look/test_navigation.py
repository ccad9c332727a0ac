"""The menu by role: every link it shows opens (200), and every staff page it leaves out is
refused (403) or absent here (404), for each demo role at each tier — both directions, so the
menu shows exactly what the person may do."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse

from deploy.prepare import DEMO_PASSWORD, demo_staff_ensure
from tests.cases.conftest import at_site, halls  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="hall-nav"[^>]*>(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')
# Every staff page a menu may offer (deploy/navigation.py), by URL name.
STAFF_PAGES = [
    "workbench:inbox",
    "workbench:intake",
    "workbench:followed",
    "workbench:calling",
    "workbench:prereview-list",
    "workbench:queue-stats",
    "workbench:countersign",
    "workbench:stalled",
    "supervision:dashboard",
    "supervision:alerts",
    "supervision:orders",
    "assessment:ranking",
    "assessment:complaints",
    "rules:list",
]
HALLS = {"county": "county", "township": "t-maan", "village": "v-shiqiao"}


def menu_links(html: str) -> list[str]:
    found = NAV.search(html)
    assert found, "no hall navigation on the page"
    return HREF.findall(found.group(1))


@pytest.mark.parametrize("tier", ["county", "township", "village"])
def test_each_roles_menu_is_exactly_what_it_may_open(tier, halls, at_site, client):  # noqa: F811
    at_site(HALLS[tier])
    wrong = []
    for username, _roles in demo_staff_ensure():
        client.logout()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        front = client.get("/")
        assert front.status_code == 200
        links = menu_links(front.content.decode())
        assert links[0] == "/"
        for url in links:
            if client.get(url).status_code != 200:
                wrong.append((username, url, "offered but refused"))
        for name in STAFF_PAGES:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue  # a county-only route at a township or village
            if url in links:
                continue
            status = client.get(url).status_code
            if status not in (403, 404):
                wrong.append((username, url, f"not offered but answers {status}"))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_agent_is_not_offered_calling_or_prereview(halls, at_site, client):  # noqa: F811
    at_site("v-shiqiao")
    demo_staff_ensure()
    client.login(username="v-shiqiao-agent", password=DEMO_PASSWORD)
    links = menu_links(client.get("/").content.decode())
    assert "/gongzuotai/shoujian/" in links and "/gongzuotai/daiban/" in links
    assert "/gongzuotai/jiaohao/" not in links and "/gongzuotai/yushen/" not in links


def test_the_supervisors_front_page_links_supervision_assessment_and_rules(
    halls,  # noqa: F811
    at_site,  # noqa: F811
    client,
):
    at_site("county")
    demo_staff_ensure()
    client.login(username="county-supervisor", password=DEMO_PASSWORD)
    html = client.get("/").content.decode()
    start = html[html.index('id="start"') :]
    for url in ("/jiancha/", "/kaohe/", "/guize/"):
        assert f'href="{url}"' in start, url
        assert client.get(url).status_code == 200


def test_citizen_pages_carry_the_hall_navigation(halls, at_site, client):  # noqa: F811
    at_site("t-maan")
    for url in ("/", "/chaxun/", "/pingjia/", "/yuyue/", "/quhao/", "/zhinan/", "/yuyue/quxiao/"):
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        links = menu_links(html)
        assert "/" in links and "/pingjia/" in links and "/chaxun/" in links, url
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title.strip() and "<" not in title, (url, title)


BACK = re.compile(r'<a class="back-link" href="([^"]+)">([^<]+)</a>')


def test_pages_under_a_menu_entry_link_back_to_it(halls, at_site, client):  # noqa: F811
    at_site("county")
    demo_staff_ensure()
    assert BACK.search(client.get("/yuyue/quxiao/").content.decode()).groups() == (
        "/yuyue/",
        "返回预约办事",
    )
    assert not BACK.search(client.get("/yuyue/").content.decode())  # a menu page itself
    client.login(username="county-supervisor", password=DEMO_PASSWORD)
    html = client.get("/kaohe/jiancha/").content.decode()
    assert BACK.search(html).groups() == ("/kaohe/", "返回考核")
    client.login(username="county-clerk", password=DEMO_PASSWORD)
    html = client.get("/gongzuotai/banjian/county-20260101-9999/").content.decode()
    assert BACK.search(html).groups() == ("/gongzuotai/", "返回待办")  # even on the 404

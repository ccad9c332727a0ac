"""The front page after login: each person's start by role; anonymous: login + citizen query."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from permissions.roles import Role
from permissions.services import staff_create
from tests.cases.factories import case_make

pytestmark = pytest.mark.django_db


def logged_in(site, *roles, username=None):
    user = staff_create(
        username=username or f"{site.code}-start-{roles[0]}",
        name="吴十",
        site=site,
        roles=list(roles),
        password=None,
    )
    web = Client()
    web.force_login(user)
    return web, user


def test_anonymous_gets_the_login_and_the_citizen_query(township):
    page = Client().get("/").content.decode()
    assert "工作人员登录" in page and "/chaxun/" in page and "待办办件" not in page


def test_a_clerk_starts_with_inbox_counts_by_clock_state(township):
    web, user = logged_in(township, Role.CLERK)
    case_make(by=user)
    case_make(by=user, state="accepted")
    case_make(by=user, state="refused")  # closed: not counted
    page = web.get("/").content.decode()
    assert "吴十，您好" in page and "待办办件（共 2 件）" in page
    assert "工作人员登录" not in page and "/gongzuotai/shoujian/" in page
    assert "集中会签" not in page and "我代办的办件" not in page


def test_each_role_sees_its_own_start(halls, at_site):
    at_site("v-shiqiao")
    agent, _ = logged_in(halls["v-shiqiao"], Role.VILLAGE_AGENT)
    assert "我代办的办件" in agent.get("/").content.decode()
    at_site("t-maan")
    chief, _ = logged_in(halls["t-maan"], Role.CHIEF_REPRESENTATIVE)
    page = chief.get("/").content.decode()
    assert "集中会签" in page and "待办办件" in page
    at_site("county")
    supervisor, _ = logged_in(halls["county"], Role.COUNTY_SUPERVISOR)
    page = supervisor.get("/").content.decode()
    assert "停滞的联办环节" in page and "待办办件" not in page
    catalogue, _ = logged_in(halls["county"], Role.CATALOGUE_ADMIN)
    assert "管理后台" in catalogue.get("/").content.decode()


def test_the_start_costs_a_fixed_number_of_queries(township, django_assert_num_queries):
    web, user = logged_in(township, Role.CLERK)
    case_make(by=user)
    with CaptureQueriesContext(connection) as few:
        web.get("/")
    for state in ("accepted", "suspended", "submitted", "submitted"):
        case_make(by=user, state=state)
    with django_assert_num_queries(len(few.captured_queries)):
        web.get("/")


def test_the_inbox_pager_keeps_the_state_and_the_search(township):
    web, user = logged_in(township, Role.CLERK)
    for _ in range(3):
        case_make(by=user)
    page = web.get("/gongzuotai/", {"q": "李四", "size": 1, "state": ""}).content.decode()
    assert '<a href="?state=&amp;q=%E6%9D%8E%E5%9B%9B&amp;page=2">下一页</a>' in page
    assert "第 1 / 3 页，共 3 件" in page

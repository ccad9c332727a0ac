"""待办 and 收件 refuse by address exactly whom the menu leaves them out for (issue 21)."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from permissions.roles import Role
from permissions.services import staff_create

pytestmark = pytest.mark.django_db

PAGES = ["workbench:inbox", "workbench:intake"]


def signed_in(username, site, role):
    user = staff_create(username=username, name="王五", site=site, roles=[role], password=None)
    web = Client()
    web.force_login(user)
    return web


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_sign_in(name, township):
    page = Client().get(reverse(name))
    assert page.status_code == 302 and page.url.startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", PAGES)
def test_the_catalogue_admin_is_refused_with_the_chinese_page(name, halls, at_site):
    at_site("county")
    web = signed_in("cat", halls["county"], Role.CATALOGUE_ADMIN)
    page = web.get(reverse(name))
    assert page.status_code == 403
    assert "无权" in page.content.decode()


def test_a_clerk_of_another_hall_may_not_take_in_here(halls, at_site):
    at_site("county")
    web = signed_in("t-clerk", halls["t-maan"], Role.CLERK)  # a township clerk at the county
    assert web.get(reverse("workbench:intake")).status_code == 403


@pytest.mark.parametrize("role", [Role.CLERK, Role.VILLAGE_AGENT])
def test_who_files_here_opens_intake(role, halls, at_site):
    at_site("v-shiqiao")
    web = signed_in(f"v-{role}", halls["v-shiqiao"], role)
    assert web.get(reverse("workbench:intake")).status_code == 200

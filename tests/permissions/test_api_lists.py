"""Query counts of the permissions API lists: constant whatever the number of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.permissions.factories import staff


def _count(client, url, user) -> int:
    # a fresh user object, as each real request has (grants are cached per object)
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/api/permissions/sites/v-shiqiao/staff/", "/api/permissions/roles/", "/api/auth/me/"]
)
def test_list_queries_do_not_grow(tree, url):
    # given a township clerk who views its villages
    viewer = staff(tree["t-maan"], "clerk")
    client = APIClient()
    staff(tree["v-shiqiao"], "clerk")
    few = _count(client, url, viewer)
    # when the village gets many more staff
    for _ in range(15):
        staff(tree["v-shiqiao"], "village_agent")
    # then the same number of queries
    assert _count(client, url, viewer) == few


def test_site_staff_list_is_refused_outside_the_subtree(tree):
    client = APIClient()
    client.force_authenticate(staff(tree["t-maan"], "clerk"))
    assert client.get("/api/permissions/sites/v-xiaohe/staff/").status_code == 403
    assert client.get("/api/permissions/sites/county/staff/").status_code == 403
    assert client.get("/api/permissions/sites/no-such/staff/").status_code == 404

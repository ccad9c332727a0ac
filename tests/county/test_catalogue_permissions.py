"""Catalogue writes: only at the county, only with the catalogue permission (SitePerm.
MANAGE_CATALOGUE); refused to a township, to county staff without it, to anonymous, in the
services, the admin and the (read-only) REST API."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from county.catalogue.models import Delegation, Item
from county.catalogue.services import delegation_grant, delegation_withdraw, item_revise
from permissions.roles import Role
from tests.county.test_catalogue import promised_item
from tests.permissions.factories import staff


@pytest.fixture
def catalogue_admin(tree):
    return staff(tree["county"], Role.CATALOGUE_ADMIN)


@pytest.fixture
def supervisor(tree):
    """County staff with no catalogue permission."""
    return staff(tree["county"], Role.COUNTY_SUPERVISOR)


def test_the_catalogue_admin_publishes_and_delegates(tree, catalogue_admin):
    version = promised_item(by=catalogue_admin)
    item_revise(item=version.item, by=catalogue_admin, promised_limit_days=5)
    delegation = delegation_grant(
        item=version.item, site=tree["t-maan"], mode="decide", by=catalogue_admin
    )
    delegation_withdraw(delegation=delegation, by=catalogue_admin)
    assert Item.objects.get().current_version == 2


@pytest.mark.parametrize("who", ["supervisor", "anonymous"])
def test_without_the_permission_every_write_is_refused(tree, catalogue_admin, supervisor, who):
    user = supervisor if who == "supervisor" else AnonymousUser()
    with pytest.raises(PermissionDenied, match="无权维护事项目录"):
        promised_item(by=user)
    version = promised_item(by=catalogue_admin)
    with pytest.raises(PermissionDenied):
        item_revise(item=version.item, by=user, promised_limit_days=5)
    with pytest.raises(PermissionDenied):
        delegation_grant(item=version.item, site=tree["t-maan"], mode="decide", by=user)
    delegation = delegation_grant(
        item=version.item, site=tree["t-maan"], mode="decide", by=catalogue_admin
    )
    with pytest.raises(PermissionDenied):
        delegation_withdraw(delegation=delegation, by=user)
    assert Item.objects.get().current_version == 1
    assert Delegation.objects.get().withdrawn_at is None


def test_a_township_refuses_catalogue_writes_even_by_its_staff(tree, settings):
    settings.HALL_SITE, settings.HALL_TIER = "t-maan", "township"
    chief = staff(tree["t-maan"], Role.CHIEF_REPRESENTATIVE)
    for by in (None, chief):
        with pytest.raises(PermissionDenied, match="县政务服务中心"):
            promised_item(by=by)
    assert not Item.objects.exists()


def test_the_admin_refuses_county_staff_without_the_permission(tree, client, supervisor):
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    assert client.get("/admin/catalogue/item/add/").status_code == 403
    assert client.get("/admin/catalogue/delegation/add/").status_code == 403


@pytest.mark.parametrize("who", ["anonymous", "supervisor", "catalogue_admin"])
@pytest.mark.parametrize("path", ["/api/catalogue/items/", "/api/catalogue/delegations/"])
def test_the_rest_api_writes_nothing(tree, client, supervisor, catalogue_admin, who, path):
    user = {"supervisor": supervisor, "catalogue_admin": catalogue_admin}.get(who)
    if user:
        client.force_login(user)
    response = client.post(path, {"code": "mzj-999"}, content_type="application/json")
    assert response.status_code in (403, 405)  # read-only: writes go through the admin
    assert not Item.objects.exists()

"""The catalogue admin, in Chinese, for the county's catalogue admins."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from county.catalogue.models import Item, ItemVersion


@pytest.fixture
def admin_client(client, tree):
    user = get_user_model().objects.create_superuser("catalogue-admin", password="x-long-pass-1")
    client.force_login(user)
    return client


def form(**overrides):
    data = {
        "code": "sfj-900",
        "department": "",
        "name": "人民调解申请",
        "kind": "public_service",
        "handling_type": "promised",
        "legal_limit_days": "15",
        "promised_limit_days": "10",
        "fees": "不收费",
        "legal_basis": "《中华人民共和国人民调解法》",
        "materials-0-name": "调解申请书",
        "materials-0-defer_days": "0",
        "change_note": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "delegations-TOTAL_FORMS": "0",
        "delegations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def sfj():
    from sites.registry.models import Department

    return str(Department.objects.get(code="sfj").pk)


def test_adding_an_item_publishes_version_one(admin_client):
    response = admin_client.post("/admin/catalogue/item/add/", form(department=sfj()))
    assert response.status_code == 302, response.content.decode()[:2000]
    version = ItemVersion.objects.get(item__code="sfj-900")
    assert (version.number, version.name, version.materials[0]["name"]) == (
        1,
        "人民调解申请",
        "调解申请书",
    )


def test_saving_an_item_publishes_a_new_version(admin_client):
    admin_client.post("/admin/catalogue/item/add/", form(department=sfj()))
    item = Item.objects.get(code="sfj-900")
    response = admin_client.post(
        f"/admin/catalogue/item/{item.pk}/change/",
        form(department=sfj(), promised_limit_days="5", change_note="压缩时限"),
    )
    assert response.status_code == 302
    assert list(item.versions.order_by("number").values_list("promised_limit_days", flat=True)) == [
        10,
        5,
    ]


def test_promised_above_legal_shows_the_message_on_the_field(admin_client):
    response = admin_client.post(
        "/admin/catalogue/item/add/", form(department=sfj(), promised_limit_days="30")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "承诺时限不得超过法定时限" in errors["promised_limit_days"][0]
    assert not Item.objects.exists()


def test_the_admin_speaks_chinese(admin_client):
    page = admin_client.get("/admin/catalogue/item/add/").content.decode()
    assert "承诺时限" in page and "办件类型" in page


@override_settings(HALL_AUTHORS_CATALOGUE=False)
def test_a_township_node_cannot_author_the_catalogue(admin_client):
    assert admin_client.get("/admin/catalogue/item/add/").status_code == 403
    response = admin_client.post("/admin/catalogue/item/add/", form(department=sfj()))
    assert response.status_code == 403
    assert not Item.objects.exists()

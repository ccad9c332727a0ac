"""The county's catalogue admins log in to /admin/ (is_staff and the catalogue's model
permissions only), and edit an item's materials row by row, not as JSON."""

import pytest
from django.test import Client

from county.catalogue.models import Item, ItemVersion
from permissions.roles import Role
from permissions.services import role_revoke, staff_create
from tests.county.test_catalogue_admin import form, sfj

pytestmark = pytest.mark.django_db
PASSWORD = "Mulu-admin-2026!"


@pytest.fixture
def catalogue_admin(tree):
    return staff_create(
        username="county-catalogue",
        name="吴目录",
        site=tree["county"],
        roles=[Role.CATALOGUE_ADMIN],
        password=PASSWORD,
    )


def test_the_catalogue_admin_logs_in_and_sees_only_the_catalogue(catalogue_admin):
    assert catalogue_admin.is_staff and not catalogue_admin.is_superuser
    web = Client()
    login = web.post(
        "/admin/login/?next=/admin/", {"username": "county-catalogue", "password": PASSWORD}
    )
    assert login.status_code == 302 and login.url == "/admin/"
    index = web.get("/admin/").content.decode()
    assert "/admin/catalogue/item/" in index and "/admin/catalogue/delegation/" in index
    assert "/admin/auth/user/" not in index and "/admin/cases/" not in index
    assert web.get("/admin/auth/user/").status_code == 403
    assert web.get("/admin/catalogue/item/add/").status_code == 200
    assert catalogue_admin.get_all_permissions() >= {"catalogue.change_item"}
    assert not any(
        p.startswith(("auth.", "cases.", "sync.")) for p in catalogue_admin.get_all_permissions()
    )


def test_other_staff_are_not_admin_staff(tree):
    clerk = staff_create(
        username="county-clerk-x",
        name="王五",
        site=tree["county"],
        roles=[Role.CLERK],
        password=PASSWORD,
    )
    assert not clerk.is_staff
    web = Client()
    web.force_login(clerk)
    assert web.get("/admin/").status_code == 302  # to the admin's login


def test_revoking_the_role_takes_the_admin_away(tree, catalogue_admin):
    role_revoke(user=catalogue_admin, site=tree["county"], role=Role.CATALOGUE_ADMIN)
    catalogue_admin.refresh_from_db()
    assert not catalogue_admin.is_staff


def test_materials_are_rows_and_saved_as_the_list(catalogue_admin):
    web = Client()
    web.force_login(catalogue_admin)
    data = form(department=sfj())
    data.update(
        {
            "materials-1-name": "当事人身份证",
            "materials-1-deferrable": "on",
            "materials-1-defer_days": "5",
            "materials-2-name": "",
            "materials-2-defer_days": "0",
        }
    )
    made = web.post("/admin/catalogue/item/add/", data)
    assert made.status_code == 302, made.content.decode()[:3000]
    version = ItemVersion.objects.get(item__code="sfj-900")
    assert version.materials == [
        {"name": "调解申请书", "deferrable": False, "defer_days": 0},
        {"name": "当事人身份证", "deferrable": True, "defer_days": 5},
    ]
    item = Item.objects.get(code="sfj-900")
    page = web.get(f"/admin/catalogue/item/{item.pk}/change/").content.decode()
    assert 'name="materials-1-name" value="当事人身份证"' in page
    assert 'name="materials-1-deferrable" checked' in page
    assert "[{" not in page  # no raw JSON to edit


def test_material_rows_with_problems_say_so_in_chinese(catalogue_admin):
    web = Client()
    web.force_login(catalogue_admin)
    data = form(department=sfj())
    data.update(
        {
            "materials-1-name": "调解申请书",
            "materials-1-defer_days": "0",
            "materials-2-name": "证据材料",
            "materials-2-deferrable": "on",
            "materials-2-defer_days": "",
        }
    )
    page = web.post("/admin/catalogue/item/add/", data)
    assert page.status_code == 200
    errors = " ".join(page.context["adminform"].form.errors["materials"])
    assert "材料重复：调解申请书" in errors and "须填写补交期限" in errors
    assert not Item.objects.exists()

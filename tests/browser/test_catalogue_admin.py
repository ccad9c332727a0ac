"""The county's catalogue admin logs in to /admin/ and edits an item's materials row by row."""

import pytest

from county.catalogue.models import Item
from permissions.roles import Role
from permissions.services import staff_create
from tests.browser.test_workbench import chinese_only

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Mulu-admin-2026!"


def test_catalogue_admin_edits_materials(page, halls, screenshot):
    staff_create(
        username="county-catalogue",
        name="吴目录",
        site=halls["county"],
        roles=[Role.CATALOGUE_ADMIN],
        password=PASSWORD,
    )
    page.goto(page.base_url + "/admin/login/?next=/admin/")
    page.fill("input[name=username]", "county-catalogue")
    page.fill("input[name=password]", PASSWORD)
    page.locator("[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    chinese_only(page)
    item = Item.objects.get(code="mzj-002")
    page.goto(f"{page.base_url}/admin/catalogue/item/{item.pk}/change/")
    chinese_only(page)
    count = len(item.latest.materials)
    page.fill(f"input[name=materials-{count}-name]", "户口簿")
    page.fill("input[name=change_note]", "增加户口簿")
    screenshot(page, "materials")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/catalogue/item/")
    item.refresh_from_db()
    assert item.latest.materials[-1]["name"] == "户口簿"

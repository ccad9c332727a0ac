"""The harness itself: Chromium starts, reaches the live server and renders Chinese."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_login_page_renders_in_chromium(page, live_server, screenshot, tree):
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.inner_text("body")
    assert page.locator("input[name=password]").count() == 1
    assert screenshot(page, "login").stat().st_size > 1000

"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Playwright's own browser download (`playwright install`) needs a CDN; halls' CI and intranets
have only Debian's mirror, so we point Playwright at /usr/bin/chromium (deploy/browser-up.sh).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.joint.conftest import joint, lead_clerk  # noqa: F401  (joint fixtures)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _browser_context_dir():
    path = tempfile.mkdtemp(prefix="hall-chromium-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(_browser_context_dir):
    """One Chromium for the session, with a fresh user-data-dir (no profile from elsewhere)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"{CHROMIUM} is missing: run `sudo bash deploy/browser-up.sh` (Debian chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's async-unsafe check
    # would otherwise refuse ORM calls made by the test body between page actions.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            _browser_context_dir,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh tab, logged out (cookies cleared), closed after the test."""
    browser.clear_cookies()
    tab = browser.new_page()
    tab.set_default_timeout(15_000)
    tab.base_url = live_server.url
    yield tab
    tab.close()


@pytest.fixture
def login(live_server):
    """login(page, username, password): sign a staff user in through the real login form."""

    def do(tab, username: str, password: str):
        tab.goto(f"{live_server.url}/accounts/login/")
        tab.fill("input[name=username]", username)
        tab.fill("input[name=password]", password)
        tab.locator("form [type=submit]").first.click()
        tab.wait_for_load_state()
        return tab

    return do


@pytest.fixture
def screenshot(request):
    """screenshot(page, name) -> path under $HALL_VAR_DIR/screens, full page."""
    root = Path(os.environ.get("HALL_VAR_DIR") or tempfile.gettempdir()) / "screens"
    root.mkdir(parents=True, exist_ok=True)

    def shoot(tab, name: str) -> Path:
        path = root / f"{request.node.name}-{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot

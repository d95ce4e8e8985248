import os
import shutil

import pytest
from django.core.cache import cache
from django.utils.translation import override

from nansha.demo import load_demo

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made beside it in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (the database it sees is fresh too)."""
    cache.clear()


@pytest.fixture(autouse=True)
def english():
    """Messages in English, so that assertions can quote them; tests of Chinese ask for it."""
    with override("en"):
        yield


@pytest.fixture
def admin_client(admin_client):
    """pytest-django's superuser client, asking for English pages."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


@pytest.fixture
def demo(db):
    """The article's entities, as `load_demo` loads them."""
    load_demo()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Missing Chromium fails in CI and skips elsewhere."""
    if not shutil.which(CHROMIUM):
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A browser page that may only reach the live server: every other request is refused and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = keep_on_machine(context.new_page(), live_server.url)
    yield page
    context.close()


def keep_on_machine(page, server_url):
    """Let `page` reach only the test server; refuse and record everything else (tiles, above all)."""
    page.outside_requests = []

    def route(route):
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.set_default_timeout(15_000)
    return page

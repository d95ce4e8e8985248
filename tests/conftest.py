import os
import shutil
import time
from functools import partial

import pytest
from django.core.cache import caches
from django.utils.translation import override

from nansha.datasets.demo import load_demo

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
# calls made beside it in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
DEFAULT_TIMEOUT_MS = 15_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (the database it sees is fresh too)."""
    for cache in caches.all():
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
def page(browser, live_server, transactional_db):
    """A browser page that may only reach the live server: every other request is refused and recorded.

    It asks for the database first, so the page (and whatever it is still loading) is closed before the
    database is emptied after the test: a request still running in the server thread held a table and
    the flush failed with "database table is locked" (SQLite's shared in-memory test database).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = keep_on_machine(context.new_page(), live_server.url)
    yield page
    context.close()


def keep_on_machine(page, server_url):
    """Let `page` reach only the test server; refuse and record everything else (tiles, above all).

    The page also records Content-Security-Policy violations; a test during which any page had one fails.
    """
    page.outside_requests = []

    def route(route):
        if route.request.url.startswith(server_url):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return watch_csp(page)


# Reports each `securitypolicyviolation` event on the console, where Chromium also writes its own
# "Refused to ... Content Security Policy" messages: the console listener below collects both.
CSP_VIOLATION_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber} on ${location.pathname}`;
  console.error(`Content Security Policy violation: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "an inline resource"} at ${where}`);
});
"""
WATCHED_PAGES = []  # the pages opened during the current test


def watch_csp(page):
    page.csp_violations = []
    page.add_init_script(CSP_VIOLATION_LISTENER)
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    page.wait_for_function = partial(wait_for_function, page)
    WATCHED_PAGES.append(page)
    return page


def wait_for_function(page, expression, *, arg=None, timeout=None, polling=None):
    """Playwright's page.wait_for_function, for pages under the Content-Security-Policy.

    Playwright's own compiles the expression with eval() inside the page, which a policy without 'unsafe-eval'
    refuses. page.evaluate runs through DevTools, which the policy does not govern: poll with it instead.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + (timeout or DEFAULT_TIMEOUT_MS) / 1000
    while True:
        try:
            if value := page.evaluate(expression, arg):
                return value
            error = None
        except PlaywrightError as failure:  # e.g. the page navigated while it was asked
            error = failure
        if time.monotonic() > deadline:
            raise error or PlaywrightTimeout(f"wait_for_function: {expression} still false")
        page.wait_for_timeout(polling if isinstance(polling, int | float) else 50)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    WATCHED_PAGES.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail the test if a page it drove broke the Content-Security-Policy (blocked scripts, styles, images...)."""
    result = yield
    violations = [violation for page in WATCHED_PAGES for violation in page.csp_violations]
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(violations)), pytrace=False)
    return result

"""Headless Chromium for the browser tests: fixtures and page helpers.

The root conftest.py loads this module as a pytest plugin. Tests drive the
site served by pytest-django's ``live_server`` with Playwright and Debian's
Chromium, and skip when the playwright package or the browser is missing.
Playwright never downloads a browser here: it launches CHROMIUM_PATH.
"""

import importlib
import os
import re

import pytest

# Debian's chromium package installs the browser here. The CHROMIUM_PATH
# environment variable names another executable.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    # CI runs as root, and Chromium does not start as root with its sandbox.
    "--no-sandbox",
    "--disable-gpu",
    # The rest keep Chromium to plain HTTP with the live server: no QUIC,
    # first-run pages, background requests, component updates or sync.
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Milliseconds. Every Playwright wait is bounded, so a broken page fails the
# test in seconds instead of hanging the suite.
LAUNCH_TIMEOUT_MS = 20_000
NAVIGATION_TIMEOUT_MS = 15_000
ACTION_TIMEOUT_MS = 10_000

UNREAD_BADGE = ".notifications-link .count-badge"

# The marks of every browser test module: one worker runs them all against
# the live server, each with a time limit.
BROWSER_TEST_MARKS = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(60),
]


def browser_missing_reason():
    """Return why the browser tests cannot run, or "" when they can."""
    try:
        importlib.import_module("playwright.sync_api")
    except ImportError:
        return "needs the playwright package: run make install (a dev dependency)"
    if not os.access(CHROMIUM_PATH, os.X_OK):
        return f"needs Chromium at {CHROMIUM_PATH}: apt-get install chromium"
    return ""


@pytest.fixture
def browser(monkeypatch):
    """Launch headless Chromium for one test, or skip when it is missing."""
    reason = browser_missing_reason()
    if reason:
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API keeps an asyncio event loop registered on this
    # thread, so Django would reject every ORM call of the test with
    # SynchronousOnlyOperation. The test code itself never runs inside that
    # loop, which makes the override safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            args=CHROMIUM_ARGS,
            timeout=LAUNCH_TIMEOUT_MS,
        )
        try:
            yield chromium
        finally:
            # While Playwright runs, the test runs with other context
            # variables than the fixtures set up before this one, and Django
            # keeps its connections in context variables. So pytest-django
            # never closes the connections the test opened, and left open
            # they keep PostgreSQL from dropping the test database.
            connections.close_all()
            chromium.close()


@pytest.fixture
def open_person(browser, live_server):
    """Return a function that opens a page in a new browser context.

    Each context has its own cookies, so each call is one person. When the
    test ends, any response with a 5xx status or any script error on any
    page fails it.
    """
    contexts = []
    failures = []

    def record_response(response):
        if response.status >= 500:
            failures.append(f"HTTP {response.status} from {response.url}")

    def record_page_error(error):
        failures.append(f"script error: {error}")

    def open_page():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("response", record_response)
        page.on("pageerror", record_page_error)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not failures, "\n".join(failures)


# ---- Page helpers ---------------------------------------------------------


def expect(target):
    """Return Playwright's ``expect`` for a locator or page.

    Test modules import it from here, so that they still import, and skip,
    on a machine without the playwright package.
    """
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def visit(page, path, *, status=200):
    """Open a path of the live server and check the final response status."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}"
    return response


def submit(button, *, status=200):
    """Click a form's submit button and wait for the page it leads to.

    Redirects are followed, and ``status`` is the expected status of the
    final page.
    """
    with button.page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None, "the form submission loaded no page"
    assert response.status == status, f"{response.url} answered {response.status}"
    return response


def log_in(page, user, password):
    """Sign in through the site's login form."""
    visit(page, "/accounts/login/")
    page.get_by_label("Handle or email").fill(user.username)
    page.get_by_label("Password").fill(password)
    submit(page.get_by_role("button", name="Sign In"))
    chip = page.locator(".user-chip")
    assert chip.inner_text() == user.username, "the login form did not sign in"


def unread_count(page):
    """Return the unread count shown in the page header (0 without a badge)."""
    badge = page.locator(UNREAD_BADGE)
    if badge.count() == 0:
        return 0
    return int(badge.inner_text())


def notification_texts(page):
    """Open /notifications/ and return the notification texts, newest first."""
    visit(page, "/notifications/")
    texts = page.locator(".notification-text").all_inner_texts()
    # Unread notifications start with a "New" badge.
    return [re.sub(r"^New\s+", "", text).strip() for text in texts]


def flash_messages(page):
    """Return the texts of the messages shown at the top of the page."""
    return page.locator(".messages .message").all_inner_texts()

"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop running in the test thread, which makes Django
# refuse database queries from that thread unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


# Chromium shows PDFs in its viewer; families' browsers often save them instead, and a saved
# file is what the tests can inspect. A user preference, not a change to the site.
PREFERENCES = {"plugins": {"always_open_pdf_externally": True}}


@pytest.fixture
def browser_context(demo_site, tmp_path):
    """A Chromium in French that accepts downloads, started once the database is ready.

    Started per test and stopped before the database is flushed: while Playwright's event
    loop runs, Django sees another connection object, one without the serialized contents
    the next test restores its data from.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `scripts/install --with-browser` "
            "(Debian package `chromium`) or set CHROMIUM_PATH. Browser tests never skip.",
            pytrace=False,
        )
    profile = tmp_path / "chromium-profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(PREFERENCES))
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            accept_downloads=True,
            locale="fr-FR",
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def browser_page(browser_context):
    """A tab of a fresh profile: every test visits as an anonymous family."""
    return browser_context.new_page()


@pytest.fixture
def demo_site(django_db_serialized_rollback, transactional_db, live_server):
    """The demo commune in the test database; the live server answers for the default site.

    The live server needs committed data, so each test flushes the database afterwards; the
    serialized rollback then restores what migrations created (the home page, the site).
    """
    call_command("seed_demo", stdout=io.StringIO())
    return live_server

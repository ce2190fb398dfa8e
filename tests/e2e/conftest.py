"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

import io
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from wagtail.models import Site

from cms.staff_groups import ensure_staff_groups
from portal_features.models import ConsentType, DocumentType, Service, Theme
from tests.factories import PASSWORD, PortalPageFactory, UserFactory

from .axe import AxeWatch, watch_context

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
AXE_SETTLE_MS = 1_500


# Chromium shows PDFs in its viewer; families' browsers often save them instead, and a saved
# file is what the tests can inspect. A user preference, not a change to the site.
PREFERENCES = {"plugins": {"always_open_pdf_externally": True}}


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `scripts/install --with-browser` "
            "(Debian package `chromium`) or set CHROMIUM_PATH. Browser tests never skip.",
            pytrace=False,
        )


def settle(context) -> None:
    """Let the last page's accessibility check finish and log before the browser closes."""
    for page in context.pages:
        if not page.is_closed():
            page.wait_for_timeout(AXE_SETTLE_MS)


@pytest.fixture
def axe_watch():
    """axe-core checks every page the test's browsers load (tests/e2e/axe.py)."""
    watch = AxeWatch()
    yield watch
    # A test that stays in Wagtail's admin loads none of our pages: nothing to check.
    assert watch.checked or not watch.loaded, (
        "axe-core checked no page: is the init script blocked?"
    )
    assert not watch.violations, (
        "axe-core found serious or critical accessibility violations:\n" + watch.report()
    )


@pytest.fixture
def browser_context(demo_site, tmp_path, axe_watch):
    """A Chromium in French that accepts downloads, started once the database is ready.

    Started per test and stopped before the database is flushed: while Playwright's event
    loop runs, Django sees another connection object, one without the serialized contents
    the next test restores its data from.
    """
    require_chromium()
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
        watch_context(context, axe_watch)
        yield context
        settle(context)
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


@pytest.fixture
def portal_site(django_db_serialized_rollback, transactional_db, live_server):
    """A bare site with the family portal, what staff define for families, and an Enfance
    agent; much lighter than the demo, for journeys through the portal and the admin."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    portal_page = PortalPageFactory(parent=home)
    vaccinations = DocumentType.objects.create(
        name="Vaccinations",
        scope=DocumentType.Scope.CHILD,
        is_required=True,
        default_validity_days=365,
    )
    ConsentType.objects.create(name="Droit à l'image")
    service = Service.objects.create(name="Centres de loisirs")
    theme = Theme.objects.create(service=service, name="Inscriptions")
    _communication, enfance = ensure_staff_groups()
    staff = UserFactory(email="agent.enfance@example.fr", first_name="Nadia", is_staff=True)
    staff.groups.add(enfance)
    return SimpleNamespace(
        url=live_server.url,
        portal_url=live_server.url + portal_page.url,
        document_type=vaccinations,
        service=service,
        theme=theme,
        staff_email=staff.email,
        staff_password=PASSWORD,
    )


@pytest.fixture
def chromium(portal_site, axe_watch):
    """A Chromium for several people at once: each `new_context()` is a fresh, throwaway
    profile. Closed before the database is flushed, as `browser_context` is."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        new_context = browser.new_context

        def checked_context(**options):
            context = new_context(**options)
            # axe-core runs in the page: a context without JavaScript cannot be checked
            # (its pages are the same pages a context with JavaScript checks).
            if options.get("java_script_enabled", True):
                watch_context(context, axe_watch)
            return context

        browser.new_context = checked_context
        yield browser
        for context in browser.contexts:
            settle(context)
        browser.close()

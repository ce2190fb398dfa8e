"""The Content-Security-Policy breaks nothing: Chromium reports no violation on the pages a
family and the staff use, public site, portal and admin."""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from demo.portal import SLUG as PORTAL_SLUG
from documents_library.models import DocumentsLibraryPage
from news.models import NewsIndexPage, NewsPage
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

PARENT = "claire.dupont@example.fr"
ADMIN = "admin@example.fr"
# What Chromium writes to the console when a policy blocks something, or rejects a header.
VIOLATION = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions-Policy")


class ConsoleWatch:
    """The policy messages of the console, and the pages that were open when they came."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        page.on("console", self._record)

    def _record(self, message) -> None:
        if VIOLATION.search(message.text):
            self.violations.append(f"{self.page.url}: {message.type}: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert (response.url, response.status) == (url, 200)  # not sent to a login page
        assert "Content-Security-Policy" in {name.title() for name in response.headers}
        # Deferred scripts and the admin's scripts have run, and what they fetch has come.
        self.page.wait_for_load_state("networkidle")


def log_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_no_page_breaks_the_content_security_policy(demo_site, browser_page):
    site = demo_site.url
    watch = ConsoleWatch(browser_page)
    news_index = NewsIndexPage.objects.live().first()
    portal = site + Page.objects.get(slug=PORTAL_SLUG).url

    for url in (
        "/",
        news_index.url,
        NewsPage.objects.live().child_of(news_index).first().url,
        DocumentsLibraryPage.objects.live().first().url,
        "/recherche/?q=cantine",
        "/account/login/",
        "/account/signup/",
    ):
        watch.visit(site + url)

    log_in(browser_page, site + "/account/login/", PARENT)
    for screen in (
        "",
        "reservations/calendar/",
        "family/",
        "messages/",
        "invoices/",
        "invoices/statement/",
        "invoices/attestation/",
    ):
        watch.visit(portal + screen)

    log_in(browser_page, site + "/admin/login/", ADMIN)
    home = Page.objects.get(depth=2)
    for url in (
        "/admin/",
        f"/admin/pages/{home.pk}/edit/",
        "/admin/reservations/attendance/",
        "/",  # the public site with the editors' user bar
    ):
        watch.visit(site + url)

    assert not watch.violations, "\n".join(watch.violations)

"""sitemap.xml, robots.txt and the error pages."""

import pytest
from django.test import Client
from django.utils import translation

from cms import views
from cms.models import HomePage
from tests.factories import PortalPageFactory, StandardPageFactory

from ..helpers import html, unpublish

pytestmark = pytest.mark.django_db


def _fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def test_sitemap_lists_live_pages_only(client, home_page):
    StandardPageFactory(parent=home_page, title="Infos pratiques", slug="infos-pratiques")
    unpublish(StandardPageFactory(parent=home_page, title="Brouillon", slug="brouillon"))

    response = client.get("/sitemap.xml")

    content = html(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "<loc>http://localhost/</loc>" in content
    assert "<loc>http://localhost/infos-pratiques/</loc>" in content
    assert "brouillon" not in content


def test_robots_txt_keeps_crawlers_out_of_private_areas(client, home_page):
    portal = PortalPageFactory(parent=home_page)

    response = client.get("/robots.txt")

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /account/" in lines
    assert f"Disallow: {portal.url}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_unknown_address_gives_the_french_404_page(client, home_page, settings):
    assert settings.DEBUG is False

    response = client.get("/cette-page-n-existe-pas/")

    content = html(response)
    assert response.status_code == 404
    assert '<html lang="fr">' in content
    assert f"<h1>{_fr('Page not found')}</h1>" in content
    # The 404 page keeps the site's frame, so visitors can find their way.
    assert '<nav class="main-nav"' in content


def test_server_error_handler_renders_static_french_text_without_queries(
    rf, django_assert_num_queries
):
    with translation.override("fr"), django_assert_num_queries(0):
        response = views.server_error(rf.get("/"))

    content = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in content
    assert f"<h1>{_fr('Server error')}</h1>" in content
    assert '<a href="/">' in content


def test_a_crashing_page_answers_with_the_500_page(home_page, monkeypatch):
    def broken_context(self, request, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(HomePage, "get_context", broken_context)
    client = Client(raise_request_exception=False)

    response = client.get("/")

    assert response.status_code == 500
    assert f"<h1>{_fr('Server error')}</h1>" in html(response)

"""The anonymous whole-page cache: hits cost no query; people and forms are never cached."""

import pytest
from django.conf import settings

from cms.page_cache import CACHED_HEADER
from tests.factories import ContactPageFactory, StandardPageFactory, UserFactory

from ..helpers import html

pytestmark = pytest.mark.django_db

# Tests that expect a hit use the commune_settings fixture: on a site's very first visit the
# settings row is created, and that save rightly purges the cache.


def test_second_anonymous_visit_is_served_from_the_cache(
    client, home_page, commune_settings, django_assert_num_queries
):
    page = StandardPageFactory(parent=home_page, title="Infos pratiques")

    first = client.get(page.url)
    with django_assert_num_queries(0):
        second = client.get(page.url)

    assert first[CACHED_HEADER] == "miss"
    assert second[CACHED_HEADER] == "hit"
    assert second.content == first.content


def test_logged_in_visitor_never_gets_a_cached_page(client, home_page):
    page = StandardPageFactory(parent=home_page)
    client.get(page.url)  # fills the cache for anonymous visitors
    client.force_login(UserFactory())

    response = client.get(page.url)

    assert settings.SESSION_COOKIE_NAME in client.cookies
    assert CACHED_HEADER not in response
    assert response.wsgi_request.user.is_authenticated


def test_page_with_a_form_is_not_cached(client, home_page):
    contact = ContactPageFactory(parent=home_page)

    first = client.get(contact.url)
    second = client.get(contact.url)

    assert CACHED_HEADER not in first
    assert CACHED_HEADER not in second
    assert 'name="csrfmiddlewaretoken"' in html(second)


def test_publishing_purges_the_cache(client, home_page, commune_settings):
    page = StandardPageFactory(parent=home_page, title="Ancien titre")
    client.get(page.url)
    assert client.get(page.url)[CACHED_HEADER] == "hit"

    page.title = "Nouveau titre"
    page.save_revision().publish()
    response = client.get(page.url)

    assert response[CACHED_HEADER] == "miss"
    assert "Nouveau titre" in html(response)


def test_publishing_a_page_refreshes_other_pages_too(client, home_page, commune_settings):
    """The home page lists other pages (menu), so any publication purges it as well."""
    client.get("/")
    assert client.get("/")[CACHED_HEADER] == "hit"

    StandardPageFactory(parent=home_page, title="Nouvelle rubrique", show_in_menus=True)
    response = client.get("/")

    assert response[CACHED_HEADER] == "miss"
    assert "Nouvelle rubrique" in html(response)

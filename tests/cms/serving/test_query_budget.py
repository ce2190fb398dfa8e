"""An uncached render stays within a fixed number of queries, however much is on the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.page_cache import CACHED_HEADER, purge_page_cache
from tests.factories import (
    ContactPageFactory,
    ImageFactory,
    NewsCategoryFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 8


@pytest.fixture
def furnished_site(home_page, commune_settings):
    """Menu sections, footer pages and three news items with images and categories."""
    index = NewsIndexPageFactory(parent=home_page, show_in_menus=True)
    for _ in range(3):
        NewsPageFactory(parent=index, image=ImageFactory(), category=NewsCategoryFactory())
    for number in range(4):
        StandardPageFactory(parent=home_page, title=f"Rubrique {number}", show_in_menus=True)
    legal = StandardPageFactory(parent=home_page, title="Mentions légales")
    commune_settings.contact_page = ContactPageFactory(parent=home_page)
    commune_settings.legal_notice_page = legal
    commune_settings.privacy_page = StandardPageFactory(parent=home_page, title="RGPD")
    commune_settings.save()
    return home_page


def _uncached_queries(client, url) -> int:
    """Queries of a render after a publication emptied the page cache (other caches warm)."""
    client.get(url)  # warms Wagtail's site root paths and creates the image renditions
    purge_page_cache()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response[CACHED_HEADER] == "miss"
    return len(queries)


def test_home_page_render_is_within_budget(client, furnished_site):
    assert _uncached_queries(client, "/") <= MAX_QUERIES


def test_standard_page_render_is_within_budget(client, furnished_site):
    page = StandardPageFactory(
        parent=furnished_site,
        body=[("heading", "Horaires"), ("paragraph", "<p>De 7 h 30 à 18 h 30.</p>")],
    )

    assert _uncached_queries(client, page.url) <= MAX_QUERIES


def test_more_news_and_sections_do_not_cost_more_queries(client, furnished_site):
    before = _uncached_queries(client, "/")
    index = NewsIndexPageFactory(parent=furnished_site, slug="autres-actualites")
    for _ in range(5):
        NewsPageFactory(parent=index, image=ImageFactory())
        StandardPageFactory(parent=furnished_site, show_in_menus=True)

    assert _uncached_queries(client, "/") == before

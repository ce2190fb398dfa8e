"""SQL queries per public page: a small ceiling, independent of how much content the site holds.

Counts are taken in the steady state a running site is in: each page is requested once first
(image renditions are generated once per image, the site's root paths land in the cache), then
the page cache is purged and the page is rendered for a visitor the cache does not serve, as
happens between two publications (the menu, the site settings and the news categories are
read once per publication), so the measured request renders its page again with the
site-wide data already at hand.
"""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site
from wagtail.rich_text import RichText

from cms.models import CommuneSettings
from cms.page_cache import CACHED_HEADER, purge_page_cache
from tests.factories import (
    DocumentCategoryFactory,
    DocumentsLibraryPageFactory,
    ImageFactory,
    LibraryDocumentFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

MAX_QUERIES = 8

pytestmark = pytest.mark.django_db


def add_news(news_index, count: int, *, start: int = 0) -> list:
    today = datetime.date.today()
    return [
        NewsPageFactory(
            parent=news_index,
            date=today - datetime.timedelta(days=start + number),
            image=ImageFactory(),
            image_alt="Photo d'illustration",
        )
        for number in range(count)
    ]


def add_documents(categories, count: int) -> None:
    for number in range(count):
        LibraryDocumentFactory(category=categories[number % len(categories)])


@pytest.fixture
def site_pages(home_page):
    """A commune's site as an editor fills it: menus, footer links, logo, news, documents."""
    news_index = NewsIndexPageFactory(parent=home_page, show_in_menus=True)
    news = add_news(news_index, 10)
    library = DocumentsLibraryPageFactory(parent=home_page, show_in_menus=True)
    add_documents([DocumentCategoryFactory() for _ in range(4)], 12)
    standard = StandardPageFactory(
        parent=home_page,
        title="Infos pratiques",
        show_in_menus=True,
        body=[
            ("heading", "Horaires d'ouverture"),
            ("paragraph", RichText("<p>Du lundi au vendredi, de 8 h 30 à 17 h 30.</p>")),
        ],
    )
    StandardPageFactory(parent=home_page, title="Enfance-Jeunesse", show_in_menus=True)
    legal = StandardPageFactory(parent=home_page, title="Mentions légales")
    privacy = StandardPageFactory(parent=home_page, title="Politique de confidentialité")
    commune = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune.name = "Saint-Exemple"
    commune.logo = ImageFactory()
    commune.legal_notice_page = legal
    commune.privacy_page = privacy
    commune.save()
    return {
        "home page": home_page.url,
        "news index": news_index.url,
        "news page": news[0].url,
        "documents library": library.url,
        "standard page": standard.url,
    }


def warm_then_purge(client, url) -> None:
    """Render the page once, purge the page cache, then render it again for a visitor the page
    cache does not serve (a stale session cookie) so that the site-wide data is read again,
    but the page is not cached. (Another query string would not do: it is the same entry.)"""
    client.get(url)
    purge_page_cache()
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    client.get(url)
    del client.cookies[settings.SESSION_COOKIE_NAME]


def rendered_get(client, url):
    """An anonymous GET the page cache cannot answer, after a first one has warmed the site."""
    warm_then_purge(client, url)
    return client.get(url)


def count_queries(client, url) -> int:
    warm_then_purge(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "page", ["home page", "news index", "news page", "documents library", "standard page"]
)
def test_uncached_public_page_stays_under_the_query_ceiling(
    client, site_pages, page, django_assert_max_num_queries
):
    url = site_pages[page]
    warm_then_purge(client, url)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    # The page was rendered, not served from the cache.
    assert response[CACHED_HEADER] == "miss"


@pytest.mark.parametrize("page", ["news page", "standard page"])
def test_a_page_read_since_the_last_publication_costs_no_query(client, site_pages, page):
    """The page, its section and their view restrictions are read once per publication; the
    article of a news item is rendered once too (news/news_page.html)."""
    assert count_queries(client, site_pages[page]) == 0


def test_second_anonymous_visit_of_the_home_page_costs_no_query(
    client, site_pages, django_assert_num_queries
):
    first = rendered_get(client, site_pages["home page"])

    with django_assert_num_queries(0):
        second = client.get(site_pages["home page"])

    assert second.status_code == 200
    assert second[CACHED_HEADER] == "hit"
    assert second.content == first.content


def test_news_query_counts_do_not_grow_with_the_number_of_news(client, home_page):
    news_index = NewsIndexPageFactory(parent=home_page, show_in_menus=True)
    news = add_news(news_index, 3)
    counts_with_3 = {
        "home": count_queries(client, home_page.url),
        "index": count_queries(client, news_index.url),
        "news": count_queries(client, news[0].url),
    }

    add_news(news_index, 7, start=3)
    counts_with_10 = {
        "home": count_queries(client, home_page.url),
        "index": count_queries(client, news_index.url),
        "news": count_queries(client, news[0].url),
    }

    assert counts_with_10 == counts_with_3
    response = client.get(news_index.url)
    # The ten news are really listed, so the equal counts are not an empty page's.
    assert len(response.context["page_obj"].object_list) == 10


def test_documents_library_query_count_does_not_grow_with_documents(client, home_page):
    library = DocumentsLibraryPageFactory(parent=home_page)
    categories = [DocumentCategoryFactory() for _ in range(2)]
    add_documents(categories, 2)
    count_small = count_queries(client, library.url)

    categories += [DocumentCategoryFactory() for _ in range(2)]
    add_documents(categories, 10)
    count_large = count_queries(client, library.url)

    assert count_large == count_small
    response = client.get(library.url)
    for category in categories:
        assert category.name in response.content.decode()

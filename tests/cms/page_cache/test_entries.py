"""What the anonymous page cache keeps: the whole response (headers too), one entry per page
and per value of the query parameters the page reads, whatever else the address carries."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse

from cms import page_cache
from cms.page_cache import CACHED_HEADER
from tests.factories import (
    DocumentsLibraryPageFactory,
    LibraryDocumentFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

from ..helpers import html

pytestmark = pytest.mark.django_db

# The commune_settings fixture: a site's very first visit creates its settings row, and that
# save rightly purges the cache (see test_hits_and_purges.py).


def headers_without_the_marker(response) -> dict[str, str]:
    return {name: value for name, value in response.items() if name != CACHED_HEADER}


def cached_entries_for(path: str) -> list[str]:
    """Keys of the pages kept for `path` (the test settings use the local-memory cache)."""
    return [key for key in cache._cache if f":{path}?" in key]


def test_a_hit_carries_the_headers_of_the_rendered_response(client, home_page, commune_settings):
    page = StandardPageFactory(parent=home_page)

    miss = client.get(page.url)
    hit = client.get(page.url)

    assert (miss[CACHED_HEADER], hit[CACHED_HEADER]) == ("miss", "hit")
    assert headers_without_the_marker(hit) == headers_without_the_marker(miss)
    assert hit["X-Frame-Options"] == "SAMEORIGIN"
    assert "Vary" in hit


def test_a_cookie_is_never_kept_with_a_page():
    response = HttpResponse("<p>Bonjour</p>")
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Set-Cookie"] = "sessionid=abc"  # written by hand, not through set_cookie()

    assert page_cache.stored_headers(response) == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("X-Frame-Options", "SAMEORIGIN"),
    ]


def test_tracking_parameters_share_the_entry_of_the_bare_address(
    client, home_page, commune_settings, django_assert_num_queries
):
    page = StandardPageFactory(parent=home_page)

    first = client.get(page.url, {"utm_source": "a"})
    with django_assert_num_queries(0):
        second = client.get(page.url, {"utm_source": "b"})
        bare = client.get(page.url)

    assert first[CACHED_HEADER] == "miss"
    assert (second[CACHED_HEADER], bare[CACHED_HEADER]) == ("hit", "hit")
    assert second.content == first.content == bare.content
    assert len(cached_entries_for(page.url)) == 1


def test_new_tracking_values_do_not_grow_the_cache(client, home_page, commune_settings):
    page = StandardPageFactory(parent=home_page)

    for number in range(20):
        client.get(page.url, {"utm_campaign": f"lettre-{number}", "fbclid": str(number)})

    assert len(cached_entries_for(page.url)) == 1


@pytest.fixture
def two_news_pages(home_page, commune_settings):
    index = NewsIndexPageFactory(parent=home_page, per_page=1)
    NewsPageFactory(parent=index, title="Fête de l'école")
    NewsPageFactory(parent=index, title="Menus de la cantine")
    return index


def test_the_page_number_of_the_news_still_makes_its_own_entry(client, two_news_pages):
    url = two_news_pages.url

    first_page = client.get(url)
    second_page = client.get(url, {"page": "2"})
    second_again = client.get(url, {"page": "2", "utm_source": "lettre"})

    assert (first_page[CACHED_HEADER], second_page[CACHED_HEADER]) == ("miss", "miss")
    assert second_page.content != first_page.content
    assert second_again[CACHED_HEADER] == "hit"
    assert second_again.content == second_page.content


def test_the_news_category_still_makes_its_own_entry(client, two_news_pages):
    url = two_news_pages.url
    client.get(url)

    response = client.get(url, {"categorie": "inconnue"})

    assert response[CACHED_HEADER] == "miss"
    assert 'class="listing-filter__error"' in html(response)


def test_links_of_a_cached_page_never_carry_a_visitors_tracking_values(client, two_news_pages):
    response = client.get(two_news_pages.url, {"utm_source": "lettre-de-mars"})

    assert "?page=2" in html(response)
    assert "lettre-de-mars" not in html(response)


def test_the_library_archives_still_make_their_own_entry(client, home_page, commune_settings):
    library = DocumentsLibraryPageFactory(parent=home_page)
    LibraryDocumentFactory()

    current = client.get(library.url)
    archives = client.get(library.url, {"archives": "1", "utm_medium": "email"})
    archives_again = client.get(library.url, {"archives": "1"})

    assert (current[CACHED_HEADER], archives[CACHED_HEADER]) == ("miss", "miss")
    assert archives_again[CACHED_HEADER] == "hit"


def test_search_varies_on_its_query_only(client, home_page, commune_settings):
    StandardPageFactory(parent=home_page, title="Cantine", intro="Les menus de la cantine.")

    cantine = client.get("/recherche/", {"q": "cantine", "utm_source": "a"})
    cantine_again = client.get("/recherche/", {"q": "cantine", "utm_source": "b"})
    other = client.get("/recherche/", {"q": "piscine"})

    assert (cantine[CACHED_HEADER], cantine_again[CACHED_HEADER]) == ("miss", "hit")
    assert other[CACHED_HEADER] == "miss"
    assert "Cantine" in html(cantine_again)
    assert "Cantine" not in html(other).split("</header>", 1)[1]

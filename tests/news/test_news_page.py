"""A news item's own page."""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from cms.page_cache import CACHED_HEADER
from tests.factories import ImageFactory, StandardPageFactory


def test_news_page_shows_its_content(client, make_news, school):
    news = make_news(
        title="Fête de l'école",
        category=school,
        intro="Samedi au parc.",
        image=ImageFactory(),
        image_alt="Affiche de la fête",
        body=[("paragraph", RichText("<p>Stands et <b>spectacle</b> à 15 h.</p>"))],
    )

    response = client.get(news.url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Fête de l&#x27;école</h1>" in html
    assert f'<time datetime="{news.date:%Y-%m-%d}">' in html
    assert "École" in html
    assert "Samedi au parc." in html
    assert "Stands et <b>spectacle</b> à 15 h." in html
    image = re.search(r'<img [^>]*alt="Affiche de la fête"[^>]*>', html)
    assert image and "width-960" in image.group(0)


def test_learn_more_links_to_the_chosen_page(client, home_page, make_news):
    infos = StandardPageFactory(parent=home_page, title="Infos pratiques", slug="infos")
    news = make_news(more_info_page=infos, more_info_url="https://example.org/ignored")

    html = client.get(news.url).content.decode()

    assert '<p class="news-article__more"><a class="button" href="/infos/">' in html


def test_learn_more_falls_back_to_the_address_when_the_page_is_unpublished(
    client, home_page, make_news
):
    infos = StandardPageFactory(parent=home_page, slug="infos")
    news = make_news(more_info_page=infos, more_info_url="https://example.org/details")
    infos.unpublish()

    html = client.get(news.url).content.decode()

    assert 'href="https://example.org/details"' in html
    assert 'href="/infos/"' not in html


def test_no_learn_more_link_without_target(client, make_news):
    html = client.get(make_news().url).content.decode()

    assert "news-article__more" not in html


def test_back_link_leads_to_the_index(client, news_index, make_news):
    html = client.get(make_news().url).content.decode()

    assert f'<p class="back-link"><a href="{news_index.url}">' in html


def count_uncached_queries(client, url):
    client.get(url)  # generates the image rendition, as the first visit in production does
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.get("X-Page-Cache") == "miss"
    return len(queries)


def test_news_page_extras_cost_one_query_each_at_most(client, home_page, make_news, school):
    """Image, its rendition, category and "Learn more" page add four queries to a bare item
    (the rest is Wagtail's routing and the site's frame, shared by every page)."""
    bare = make_news(title="Simple")
    infos = StandardPageFactory(parent=home_page, slug="infos")
    full = make_news(
        title="Complète",
        category=school,
        image=ImageFactory(),
        image_alt="Photo",
        more_info_page=infos,
        body=[("paragraph", RichText("<p>Texte</p>"))],
    )

    assert count_uncached_queries(client, full.url) - count_uncached_queries(client, bare.url) <= 4


def _page_reads(queries) -> list[str]:
    """The queries reading pages, news, their images, categories or view restrictions."""
    tables = ("wagtailcore_page", "news_", "wagtailimages_", "wagtailcore_pageviewrestriction")
    return [query["sql"] for query in queries if any(table in query["sql"] for table in tables)]


def test_the_news_page_is_read_and_rendered_once_per_publication(
    client, home_page, make_news, school
):
    infos = StandardPageFactory(parent=home_page, title="Infos pratiques", slug="infos")
    news = make_news(
        title="Fête de l'école",
        category=school,
        image=ImageFactory(),
        image_alt="Affiche de la fête",
        body=[("paragraph", RichText("<p>Stands à 15 h.</p>"))],
        more_info_page=infos,
    )
    # A session cookie: the page cache steps aside and the page is rendered each time.
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    # The first rendering makes the image's rendition, which purges the cache once more.
    for _ in range(2):
        first = client.get(news.url)

    with CaptureQueriesContext(connection) as again:
        second = client.get(news.url)

    assert CACHED_HEADER not in second
    assert second.content == first.content
    assert "Stands à 15 h." in second.content.decode()
    assert _page_reads(again) == []

    # An editor's change shows on the next rendering.
    news.title = "Fête de l'école : nouvel horaire"
    news.body = [("paragraph", RichText("<p>Stands à 16 h.</p>"))]
    news.save_revision().publish()
    html = client.get(news.url).content.decode()
    assert "nouvel horaire" in html
    assert "Stands à 16 h." in html
    assert "Stands à 15 h." not in html

    # So does the "Learn more" page's unpublication, and a news item published meanwhile.
    infos.unpublish()
    assert 'href="/infos/"' not in client.get(news.url).content.decode()
    fresh = make_news(title="Actu du jour")
    assert "Actu du jour" in client.get(fresh.url).content.decode()


def test_an_unpublished_or_restricted_news_page_is_gone_at_once(client, make_news):
    news = make_news(title="Réunion publique")
    other = make_news(title="Inscriptions")
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    for url in (news.url, other.url):
        client.get(url)
        assert client.get(url).status_code == 200

    PageViewRestriction.objects.create(page=other, restriction_type=PageViewRestriction.LOGIN)
    news.unpublish()

    assert client.get(news.url).status_code == 404
    response = client.get(other.url)
    assert response.status_code == 302
    assert "Inscriptions" not in response.content.decode()

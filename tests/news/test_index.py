"""The "Actualités" index: cards, pagination, category filter, what is hidden."""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.images import get_image_model

from tests.factories import ImageFactory, NewsIndexPageFactory

CARD_TITLE = re.compile(r'<h2 class="news-card__title"><a href="[^"]+">([^<]+)</a></h2>')


def card_titles(response):
    return CARD_TITLE.findall(response.content.decode())


def test_cards_show_date_category_title_link_and_intro(client, make_news, school):
    news = make_news(title="Inscriptions à la cantine", category=school, intro="Avant le 30 juin.")

    response = client.get(news.get_parent().url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="{news.url}">Inscriptions à la cantine</a>' in html
    assert f'<time datetime="{news.date:%Y-%m-%d}">' in html
    assert '<span class="news-card__category">École</span>' in html
    assert "Avant le 30 juin." in html


def test_card_image_uses_the_card_rendition_and_its_alt_text(client, make_news):
    described = make_news(title="Avec image", image=ImageFactory(), image_alt="Enfants au parc")
    make_news(title="Image décorative", image=ImageFactory(), image_alt="", days_ago=1)

    html = client.get(described.get_parent().url).content.decode()

    images = re.findall(r"<img [^>]+>", html)
    card_images = [tag for tag in images if "fill-480x270" in tag]
    assert len(card_images) == 2
    assert 'alt="Enfants au parc"' in card_images[0]
    assert 'alt=""' in card_images[1]
    assert 'width="480"' in card_images[0] and 'height="270"' in card_images[0]


def test_news_are_listed_newest_first(client, news_index, make_news):
    make_news(title="Ancienne", days_ago=10)
    make_news(title="Récente", days_ago=0)
    make_news(title="Moyenne", days_ago=5)

    assert card_titles(client.get(news_index.url)) == ["Récente", "Moyenne", "Ancienne"]


def test_unpublished_future_and_other_index_news_are_hidden(
    client, home_page, news_index, make_news
):
    make_news(title="Publiée")
    make_news(title="Retirée").unpublish()
    make_news(title="Programmée", days_ago=-3)
    other_index = NewsIndexPageFactory(parent=home_page, slug="autres-actualites")
    make_news(title="Ailleurs", parent=other_index)

    assert card_titles(client.get(news_index.url)) == ["Publiée"]


def test_pagination_shows_the_requested_page(client, news_index, make_news):
    news_index.per_page = 2
    news_index.save_revision().publish()
    for days_ago in range(5):
        make_news(title=f"Actualité J-{days_ago}", days_ago=days_ago)

    response = client.get(news_index.url, {"page": 2})

    assert card_titles(response) == ["Actualité J-2", "Actualité J-3"]
    assert 'aria-current="page"><span class="visually-hidden">' in response.content.decode()


def test_page_number_out_of_range_shows_the_last_page(client, news_index, make_news):
    news_index.per_page = 2
    news_index.save_revision().publish()
    for days_ago in range(5):
        make_news(title=f"Actualité J-{days_ago}", days_ago=days_ago)

    assert card_titles(client.get(news_index.url, {"page": 99})) == ["Actualité J-4"]
    assert card_titles(client.get(news_index.url, {"page": "abc"})) == [
        "Actualité J-0",
        "Actualité J-1",
    ]


def test_category_filter_lists_only_that_category(client, news_index, make_news, school, culture):
    make_news(title="Rentrée scolaire", category=school)
    make_news(title="Concert", category=culture)
    make_news(title="Sans catégorie")

    response = client.get(news_index.url, {"categorie": "ecole"})

    assert card_titles(response) == ["Rentrée scolaire"]
    assert '<option value="ecole" selected>École</option>' in response.content.decode()


def test_pagination_links_keep_the_category(client, news_index, make_news, school, culture):
    news_index.per_page = 2
    news_index.save_revision().publish()
    for days_ago in range(3):
        make_news(title=f"École J-{days_ago}", category=school, days_ago=days_ago)
    make_news(title="Concert", category=culture)

    response = client.get(news_index.url, {"categorie": "ecole"})

    html = response.content.decode()
    assert card_titles(response) == ["École J-0", "École J-1"]
    assert escape("?categorie=ecole&page=2") in html
    page_two = client.get(news_index.url, {"categorie": "ecole", "page": 2})
    assert card_titles(page_two) == ["École J-2"]


def test_unknown_category_shows_the_error_and_every_news(client, news_index, make_news, school):
    make_news(title="Rentrée scolaire", category=school)
    make_news(title="Sans catégorie", days_ago=1)

    response = client.get(news_index.url, {"categorie": "inconnue"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="listing-filter__error"' in html
    assert "Sélectionnez un choix valide" in html
    assert 'aria-invalid="true"' in html
    assert card_titles(response) == ["Rentrée scolaire", "Sans catégorie"]


def test_filter_form_is_a_labelled_get_form(client, news_index, school):
    html = client.get(news_index.url).content.decode()

    assert re.search(r'<form class="listing-filter" method="get"', html)
    assert '<label for="id_categorie">' in html
    assert '<select name="categorie" id="id_categorie">' in html
    assert '<option value="ecole">École</option>' in html
    assert '<button type="submit"' in html


def test_rss_feed_is_linked_visibly_and_in_the_head(client, news_index):
    html = client.get(news_index.url).content.decode()

    feed_url = f"{news_index.url}rss/"
    head_link = (
        f'<link rel="alternate" type="application/rss+xml" title="Actualités" href="{feed_url}">'
    )
    assert head_link in html
    assert f'<a href="{feed_url}" type="application/rss+xml">' in html


def test_empty_index_says_so(client, news_index):
    html = client.get(news_index.url).content.decode()

    assert 'class="listing-empty"' in html
    assert "news-card" not in html


def render_uncached(client, url):
    """The queries of one render that the anonymous page cache does not answer."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.get("X-Page-Cache") == "miss"
    return response, [query["sql"] for query in queries.captured_queries]


def test_index_queries_do_not_grow_with_the_number_of_news(client, news_index, make_news, school):
    make_news(image=ImageFactory(), image_alt="Photo", category=school)
    # The first visit generates the renditions, as in production; the counts are for the next ones.
    client.get(news_index.url)
    _, with_one = render_uncached(client, news_index.url)

    for days_ago in range(1, 10):
        make_news(image=ImageFactory(), image_alt="Photo", category=school, days_ago=days_ago)
    client.get(news_index.url)
    assert get_image_model().get_rendition_model().objects.count() == 10
    response, with_ten = render_uncached(client, news_index.url)

    assert len(card_titles(response)) == 10
    assert len(with_ten) == len(with_one)
    # The listing itself: count, page of news (with categories and images), renditions,
    # and the filter's categories. The rest is Wagtail's routing and the site's frame.
    listing_tables = ('"news_newspage"', '"news_newscategory"', '"wagtailimages_rendition"')
    listing = [sql for sql in with_ten if any(table in sql for table in listing_tables)]
    assert len(listing) <= 4, listing

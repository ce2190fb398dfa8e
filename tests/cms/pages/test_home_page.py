"""The home page: welcome text, portal tiles, the latest news and the quick links."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import (
    ImageFactory,
    LibraryDocumentFactory,
    NewsCategoryFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

from ..helpers import html, squash, titles_in_order, unpublish

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def _news(index, title, days_ago, **kwargs):
    date = timezone.localdate() - datetime.timedelta(days=days_ago)
    return NewsPageFactory(parent=index, title=title, date=date, **kwargs)


def test_home_shows_the_three_newest_news_newest_first(client, news_index):
    # Created oldest first, so the order shown cannot come from creation order.
    for days_ago, title in [(3, "Quatrième"), (2, "Troisième"), (1, "Deuxième"), (0, "Première")]:
        _news(news_index, f"Actu {title}", days_ago)

    content = html(client.get("/"))

    shown = titles_in_order(
        content, ["Actu Première", "Actu Deuxième", "Actu Troisième", "Actu Quatrième"]
    )
    assert shown == ["Actu Première", "Actu Deuxième", "Actu Troisième"]


def test_the_latest_news_are_read_once_per_publication(client, news_index):
    _news(news_index, "Actu de la semaine", 2)
    # A session cookie: the page cache steps aside and the home page is rendered each time.
    client.cookies[settings.SESSION_COOKIE_NAME] = "stale"
    # The first rendering makes the image's rendition, which purges the cache once more.
    for _ in range(2):
        assert "Actu de la semaine" in html(client.get("/"))

    with CaptureQueriesContext(connection) as again:
        assert "Actu de la semaine" in html(client.get("/"))
    assert not [query for query in again if "news_newspage" in query["sql"]]

    # Publishing a news item shows it on the next rendering.
    fresh = _news(news_index, "Actu du jour", 0)
    fresh.save_revision().publish()
    assert "Actu du jour" in html(client.get("/"))


def test_home_leaves_out_future_unpublished_and_private_news(client, home_page, news_index):
    _news(news_index, "Actu publiée", 1)
    _news(news_index, "Actu de demain", -1)
    unpublish(_news(news_index, "Actu retirée", 2))
    private_index = NewsIndexPageFactory(parent=home_page, title="Réservé", slug="reserve")
    PageViewRestriction.objects.create(page=private_index, restriction_type="login")
    _news(private_index, "Actu réservée", 0)

    content = html(client.get("/"))

    assert "Actu publiée" in content
    assert "Actu de demain" not in content
    assert "Actu retirée" not in content
    assert "Actu réservée" not in content


def test_news_card_shows_image_date_category_and_link(client, news_index):
    category = NewsCategoryFactory(name="Périscolaire")
    news = NewsPageFactory(
        parent=news_index,
        title="Inscriptions ouvertes",
        image=ImageFactory(),
        image_alt="Des enfants dans la cour",
        category=category,
        intro="Les inscriptions à l'accueil de loisirs sont ouvertes.",
        date=datetime.date(2026, 3, 2),
    )

    content = squash(html(client.get("/")))

    assert f'<a href="{news.url}">Inscriptions ouvertes</a>' in content
    assert "fill-480x270" in content
    assert 'alt="Des enfants dans la cour"' in content
    assert '<time datetime="2026-03-02">2 mars 2026</time>' in content
    assert "Périscolaire" in content
    assert "Les inscriptions à l&#x27;accueil de loisirs sont ouvertes." in content


def test_home_links_to_the_news_index(client, news_index):
    _news(news_index, "Actu", 0)

    assert f'href="{news_index.url}"' in html(client.get("/"))


def test_home_finds_a_news_index_that_is_not_a_direct_section(client, home_page):
    section = StandardPageFactory(parent=home_page, title="Vie locale", slug="vie-locale")
    index = NewsIndexPageFactory(parent=section)
    _news(index, "Actu de la vie locale", 0)

    content = html(client.get("/"))

    assert "Actu de la vie locale" in content
    assert f'href="{index.url}"' in content


def test_home_without_news_has_no_news_section(client, home_page):
    assert 'id="latest-news-title"' not in html(client.get("/"))


def test_home_shows_intro_hero_tiles_and_quick_links(client, home_page):
    target = StandardPageFactory(parent=home_page, title="Mon compte famille", slug="compte")
    document = LibraryDocumentFactory(title="Tarifs 2025-2026")
    home_page.intro = "<p>Bienvenue sur le portail des familles.</p>"
    home_page.hero_image = ImageFactory()
    home_page.portal_tiles = [
        (
            "tile",
            {
                "title": "Réserver",
                "description": "Les jours d'accueil",
                "page": target,
                "url": "",
                "icon": "calendar",
            },
        ),
        (
            "tile",
            {
                "title": "Payer",
                "description": "",
                "page": None,
                "url": "/portail/factures/",
                "icon": "invoice",
            },
        ),
    ]
    home_page.quick_links_title = "Documents utiles"
    home_page.quick_links = [
        ("document", {"document": document, "title": ""}),
        ("page", {"page": target, "title": "Espace famille"}),
    ]
    home_page.save_revision().publish()

    content = squash(html(client.get("/")))

    assert "Bienvenue sur le portail des familles." in content
    assert 'class="home-hero__image"' in content
    assert f'<a href="{target.url}">Réserver</a>' in content
    assert '<a href="/portail/factures/">Payer</a>' in content
    assert "Documents utiles" in content
    assert "Tarifs 2025-2026" in content
    assert "(PDF, " in content
    assert f'href="{target.url}">Espace famille</a>' in content

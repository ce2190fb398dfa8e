"""Site search: finds published pages by their body, paginates keeping the query."""

import pytest

from tests.factories import StandardPageFactory

from ..helpers import html, squash, unpublish

pytestmark = pytest.mark.django_db


def test_search_finds_a_published_page_by_a_word_of_its_body(client, home_page):
    StandardPageFactory(
        parent=home_page,
        title="Accueil du soir",
        intro="Après la classe.",
        body=[("paragraph", "<p>Le goûter est fourni par la commune.</p>")],
    )
    StandardPageFactory(parent=home_page, title="Mentions légales")

    response = client.get("/recherche/", {"q": "goûter"})

    content = squash(html(response))
    assert response.status_code == 200
    assert "Accueil du soir" in content
    assert "Après la classe." in content
    assert "Mentions légales" not in content.split("</header>", 1)[1]
    assert 'value="goûter"' in content


def test_search_leaves_out_unpublished_pages(client, home_page):
    unpublish(
        StandardPageFactory(
            parent=home_page,
            title="Brouillon",
            body=[("paragraph", "<p>Goûter d'anniversaire.</p>")],
        )
    )

    content = html(client.get("/recherche/", {"q": "anniversaire"}))

    assert "Brouillon" not in content
    assert "search-result__title" not in content


def test_search_pagination_keeps_the_query(client, home_page):
    for number in range(12):
        StandardPageFactory(
            parent=home_page, title=f"Centre de loisirs {number}", intro="Vacances d'été"
        )

    first = squash(html(client.get("/recherche/", {"q": "vacances"})))
    second = squash(html(client.get("/recherche/", {"q": "vacances", "page": "2"})))

    assert first.count('class="search-result"') == 10
    assert second.count('class="search-result"') == 2
    assert 'href="?q=vacances&amp;page=2"' in first
    assert 'href="?q=vacances&amp;page=2" aria-current="page"' in second
    assert 'aria-label="' in first.split('class="pagination"', 1)[1][:60]


def test_empty_search_shows_the_form_only(client, home_page):
    response = client.get("/recherche/")

    assert response.status_code == 200
    assert 'id="search-page-q"' in html(response)
    assert "search-count" not in html(response)

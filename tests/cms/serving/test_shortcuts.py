"""Serving shortcuts keep Wagtail's behaviour: restrictions, routing and fresh site data."""

import pytest
from wagtail.models import Page, PageViewRestriction, Site

from cms.models import CommuneSettings
from cms.page_serving import ancestor_paths
from tests.factories import (
    NewsCategoryFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db


def test_ancestor_paths_are_the_prefixes_of_the_tree_path():
    assert ancestor_paths("000100020003") == ["0001", "00010002", "000100020003"]


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type="login")


def wagtail_view_restrictions(page):
    return set(Page.get_view_restrictions(page))


def test_view_restrictions_match_wagtails_for_a_restricted_ancestor(home_page):
    section = StandardPageFactory(parent=home_page)
    child = StandardPageFactory(parent=section)
    restriction = restrict(section)

    assert set(child.get_view_restrictions()) == {restriction}
    assert set(child.get_view_restrictions()) == wagtail_view_restrictions(child)
    assert set(StandardPageFactory(parent=home_page).get_view_restrictions()) == set()


def test_an_alias_takes_the_restrictions_of_its_source(home_page):
    private_section = StandardPageFactory(parent=home_page)
    restriction = restrict(private_section)
    alias = private_section.create_alias(parent=home_page, update_slug="alias-de-section")

    assert set(alias.get_view_restrictions()) == {restriction}
    assert set(alias.get_view_restrictions()) == wagtail_view_restrictions(alias)


def test_a_news_item_under_a_private_index_asks_anonymous_visitors_to_log_in(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    news = NewsPageFactory(parent=index)
    restrict(index)

    response = client.get(news.url)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unpublished_news_item_is_not_found(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    news = NewsPageFactory(parent=index)
    news.unpublish()

    assert client.get(news.url).status_code == 404


def test_a_new_menu_section_shows_on_pages_rendered_before_it_was_published(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Infos pratiques", show_in_menus=True)
    client.get(page.url)

    StandardPageFactory(parent=home_page, title="Enfance-Jeunesse", show_in_menus=True)

    assert "Enfance-Jeunesse" in client.get(page.url).content.decode()


def test_the_communes_new_name_shows_at_once(client, home_page):
    commune = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune.name = "Saint-Exemple"
    commune.save()
    assert "Saint-Exemple" in client.get(home_page.url).content.decode()

    commune.name = "Montrivel"
    commune.save()

    assert "Montrivel" in client.get(home_page.url).content.decode()


def test_a_new_news_category_appears_in_the_filter(client, home_page):
    index = NewsIndexPageFactory(parent=home_page)
    NewsCategoryFactory(name="Enfance", slug="enfance")
    client.get(index.url)

    NewsCategoryFactory(name="Travaux", slug="travaux")

    assert 'value="travaux"' in client.get(index.url).content.decode()


def test_a_section_restricted_after_a_visit_asks_anonymous_visitors_to_log_in(client, home_page):
    section = StandardPageFactory(parent=home_page)
    assert client.get(section.url).status_code == 200

    restrict(section)

    response = client.get(section.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_live_page_under_a_section_that_is_not_live_is_served_as_wagtail_does(client, home_page):
    section = StandardPageFactory(parent=home_page, slug="rubrique")
    child = StandardPageFactory(parent=section, slug="page", title="Page toujours en ligne")
    client.get(section.url)
    client.get(child.url)

    section.unpublish()

    assert client.get("/rubrique/").status_code == 404
    assert "Page toujours en ligne" in client.get("/rubrique/page/").content.decode()

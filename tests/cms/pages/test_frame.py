"""What every public page carries: skip link, landmarks, main menu and footer."""

import re

import pytest
from django.utils import translation

from tests.factories import ContactPageFactory, StandardPageFactory

from ..helpers import html, squash, unpublish

pytestmark = pytest.mark.django_db


def _menu(content: str) -> str:
    return re.search(r'<nav class="main-nav"[^>]*>(.*?)</nav>', content, re.S).group(1)


def test_home_page_has_skip_link_and_landmarks(client, home_page):
    content = html(client.get("/"))

    with translation.override("fr"):
        skip_text = translation.gettext("Skip to content")
    assert '<html lang="fr">' in content
    assert f'<a class="skip-link" href="#contenu">{skip_text}</a>' in content
    assert '<main id="contenu"' in content
    assert content.count("<header") == 1
    assert content.count("<footer") == 1
    assert '<nav class="main-nav" aria-label=' in content
    assert '<form class="site-search" role="search"' in content
    assert '<label for="site-search-q"' in content


def test_frame_links_the_stylesheets_and_script(client, home_page):
    content = html(client.get("/"))

    site_css = content.index("/static/css/site.css")
    assert content.index("/static/css/listings.css") > site_css
    assert 'href="/static/css/print.css" media="print"' in content
    assert 'src="/static/js/site.js"' in content


def test_menu_lists_live_menu_sections_in_tree_order(client, home_page):
    StandardPageFactory(parent=home_page, title="Enfance", slug="enfance", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hors menu", slug="hors-menu", show_in_menus=False)
    retired = StandardPageFactory(
        parent=home_page, title="Retirée", slug="retiree", show_in_menus=True
    )
    unpublish(retired)
    StandardPageFactory(parent=home_page, title="Actualités", slug="actus", show_in_menus=True)
    deeper = StandardPageFactory(
        parent=home_page, title="Vie locale", slug="vie", show_in_menus=False
    )
    StandardPageFactory(parent=deeper, title="Sous-page", slug="sous-page", show_in_menus=True)

    menu = _menu(html(client.get("/")))

    labels = re.findall(r"<a [^>]*>([^<]+)</a>", menu)
    assert labels == ["Accueil", "Enfance", "Actualités"]


def test_menu_marks_the_current_page_and_section(client, home_page):
    section = StandardPageFactory(
        parent=home_page, title="Enfance", slug="enfance", show_in_menus=True
    )
    StandardPageFactory(parent=home_page, title="Mairie", slug="mairie", show_in_menus=True)
    child = StandardPageFactory(parent=section, title="Cantine", slug="cantine")

    on_section = _menu(html(client.get(section.url)))
    on_child = _menu(html(client.get(child.url)))
    on_home = _menu(html(client.get("/")))

    assert '<a href="/enfance/" aria-current="page">Enfance</a>' in on_section
    assert '<a href="/enfance/" aria-current="true">Enfance</a>' in on_child
    assert '<a href="/mairie/">Mairie</a>' in on_child
    assert '<a href="/" aria-current="page">Accueil</a>' in on_home
    assert on_home.count("aria-current") == 1


def test_menu_toggle_is_hidden_until_the_script_runs(client, home_page):
    menu = _menu(html(client.get("/")))

    assert 'aria-controls="main-nav-list"' in menu
    assert re.search(
        r'<button class="main-nav__toggle"[^>]*aria-expanded="false"[^>]*hidden>', menu
    )


def test_footer_shows_the_commune_identity(client, commune_settings):
    footer = squash(html(client.get("/")).split("<footer", 1)[1])

    assert "Saint-Exemple-sur-Loire" in footer
    assert "1 place de la Mairie<br>44000 Saint-Exemple" in footer
    assert '<a href="tel:0240000000">02 40 00 00 00</a>' in footer
    assert '<a href="mailto:mairie@saint-exemple.fr">mairie@saint-exemple.fr</a>' in footer
    assert "Du lundi au vendredi, 8 h 30 – 12 h" in footer
    assert 'href="/plan-du-site/"' in footer  # the page people read; sitemap.xml is for robots


def test_commune_name_is_in_the_title(client, commune_settings):
    assert "<title>Accueil – Saint-Exemple-sur-Loire</title>" in html(client.get("/"))


def test_footer_links_to_contact_legal_and_privacy_pages(client, home_page, commune_settings):
    contact = ContactPageFactory(parent=home_page)
    legal = StandardPageFactory(parent=home_page, title="Mentions légales", slug="mentions")
    privacy = StandardPageFactory(parent=home_page, title="Confidentialité", slug="rgpd")
    commune_settings.contact_page = contact
    commune_settings.legal_notice_page = legal
    commune_settings.privacy_page = privacy
    commune_settings.save()
    unpublish(privacy)

    footer = squash(html(client.get("/")).split("<footer", 1)[1])

    assert '<a href="/nous-contacter/">Nous contacter</a>' in footer
    assert '<a href="/mentions/">Mentions légales</a>' in footer
    assert "Confidentialité" not in footer

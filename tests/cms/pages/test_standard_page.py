"""Standard pages: intro, the body's blocks, and the breadcrumbs."""

import re

import pytest

from tests.factories import ImageFactory, LibraryDocumentFactory, StandardPageFactory

from ..helpers import html, squash

pytestmark = pytest.mark.django_db


def test_standard_page_shows_intro_and_every_body_block(client, home_page):
    target = StandardPageFactory(parent=home_page, title="Inscriptions", slug="inscriptions")
    document = LibraryDocumentFactory(title="Règlement intérieur")
    page = StandardPageFactory(
        parent=home_page,
        title="Infos pratiques",
        intro="Tout savoir sur l'accueil périscolaire.",
        body=[
            ("heading", "Horaires d'ouverture"),
            ("paragraph", "<p>L'accueil ouvre à <b>7 h 30</b>.</p>"),
            (
                "image",
                {"image": ImageFactory(), "alt_text": "La cantine", "caption": "Le réfectoire"},
            ),
            ("document", {"document": document, "title": ""}),
            ("call_to_action", {"text": "S'inscrire", "page": target, "url": ""}),
            ("call_to_action", {"text": "Site de la CAF", "page": None, "url": "https://caf.fr/"}),
        ],
    )

    content = squash(html(client.get(page.url)))

    assert "<h1>Infos pratiques</h1>" in content
    assert "Tout savoir sur l&#x27;accueil périscolaire." in content
    assert '<h2 class="block-heading">Horaires d&#x27;ouverture</h2>' in content
    assert "<b>7 h 30</b>" in content
    assert 'alt="La cantine"' in content
    assert "<figcaption>Le réfectoire</figcaption>" in content
    assert f'href="{document.url}"' in content
    assert "Règlement intérieur" in content
    # Format and human size: the factory's file is a PDF of a few bytes.
    size = document.file.size
    assert re.search(rf"\(PDF, {size}\s+octets\)", content)
    assert f'<a class="button" href="{target.url}">S&#x27;inscrire</a>' in content
    assert '<a class="button" href="https://caf.fr/">Site de la CAF</a>' in content


def test_document_link_uses_its_own_text_when_given(client, home_page):
    document = LibraryDocumentFactory(title="Fichier des menus")
    page = StandardPageFactory(
        parent=home_page,
        body=[("document", {"document": document, "title": "Menus de septembre"})],
    )

    content = html(client.get(page.url))

    assert "Menus de septembre" in content
    assert "Fichier des menus" not in content


def test_breadcrumbs_lead_from_home_to_the_current_page(client, home_page):
    section = StandardPageFactory(parent=home_page, title="Enfance", slug="enfance")
    middle = StandardPageFactory(parent=section, title="Périscolaire", slug="periscolaire")
    page = StandardPageFactory(parent=middle, title="Tarifs", slug="tarifs")

    content = squash(html(client.get(page.url)))
    trail = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', content).group(1)

    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', trail)
    assert links == [
        ("/", "Accueil"),
        ("/enfance/", "Enfance"),
        ("/enfance/periscolaire/", "Périscolaire"),
    ]
    assert '<span aria-current="page">Tarifs</span>' in trail


def test_breadcrumbs_of_a_section_have_only_home(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Enfance", slug="enfance")

    content = squash(html(client.get(page.url)))
    trail = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', content).group(1)

    assert re.findall(r'<a href="([^"]+)">', trail) == ["/"]


def test_home_page_has_no_breadcrumbs(client, home_page):
    assert 'class="breadcrumbs"' not in html(client.get("/"))

"""« Plan du site » as a page people read, and the accessibility statement the RGAA asks
for, both linked from every page's footer."""

import re

import pytest

from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_the_footer_links_the_site_map_page_and_the_accessibility_statement(client, home_page):
    content = client.get(home_page.url).content.decode()

    assert 'href="/plan-du-site/"' in content
    assert 'href="/sitemap.xml"' not in content
    assert 'href="/accessibilite/">Accessibilité : non conforme</a>' in content


def test_the_site_map_lists_the_public_pages_as_a_tree(client, home_page):
    parent = StandardPageFactory(parent=home_page, title="Enfance et jeunesse")
    child = StandardPageFactory(parent=parent, title="Accueil de loisirs")
    draft = StandardPageFactory(parent=home_page, title="Brouillon caché")
    draft.unpublish()

    response = client.get("/plan-du-site/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Plan du site</h1>" in content
    assert draft.title not in content
    nested = (
        f'<a href="{parent.url}">{parent.title}</a>\n<ul class="site-map">\n'
        f'<li><a href="{child.url}">{child.title}</a></li>'
    )
    assert nested in content
    assert content.index(home_page.title) < content.index(parent.title)


def test_the_accessibility_statement_says_the_compliance_status(client, home_page):
    response = client.get("/accessibilite/")

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"<h1>Déclaration d(&#x27;|')accessibilité</h1>", content)
    assert "<strong>non conforme</strong>" in content
    assert "Défenseur des droits" in content

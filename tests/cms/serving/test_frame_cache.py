"""The site's header and footer are rendered once per publication, for logged-in visitors and
portal screens too; what belongs to a family stays live and is never shared."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.page_cache import purge_page_cache
from portal_features.portal.urls import portal_path
from tests.cms.serving.test_query_counts import MAX_QUERIES, site_pages  # noqa: F401
from tests.factories import GuardianFactory, PortalPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _warm_count(client, url) -> tuple:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize(
    "page", ["home page", "news index", "news page", "documents library", "standard page"]
)
def test_a_logged_in_visitor_costs_at_most_the_ceiling(client, site_pages, page):  # noqa: F811
    client.force_login(GuardianFactory().user)

    response, queries = _warm_count(client, site_pages[page])

    assert len(queries) <= MAX_QUERIES, "\n".join(queries)
    # The frame is in the page, but its settings, logo and menu were not read again.
    assert "Saint-Exemple" in response.content.decode()
    assert not any('FROM "cms_communesettings"' in sql for sql in queries)
    assert not any('FROM "wagtailimages_rendition"' in sql for sql in queries) or page in (
        "home page",
        "news index",
        "news page",
    )


def test_the_menu_marks_the_page_shown_though_the_frame_is_kept(client, site_pages):  # noqa: F811
    client.force_login(GuardianFactory().user)
    client.get(site_pages["news index"])

    content = client.get(site_pages["standard page"]).content.decode()

    assert f'href="{site_pages["standard page"]}" aria-current="page"' in content
    assert f'href="{site_pages["news index"]}" aria-current' not in content


def test_an_editors_change_shows_after_publication(client, site_pages, home_page):  # noqa: F811
    client.force_login(GuardianFactory().user)
    client.get(site_pages["standard page"])

    StandardPageFactory(parent=home_page, title="Nouvelle rubrique", show_in_menus=True)
    from wagtail.models import Site

    from cms.models import CommuneSettings

    commune = CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    commune.name = "Saint-Renommé"
    commune.save()  # purges

    content = client.get(site_pages["standard page"]).content.decode()
    assert "Saint-Renommé" in content
    assert "Nouvelle rubrique" in content


def test_another_family_never_sees_a_familys_screen_part(client, site_pages, home_page):  # noqa: F811
    portal = PortalPageFactory(parent=home_page)
    url = portal.url + portal_path("documents:list")
    first, second = GuardianFactory(), GuardianFactory()
    names = {first: first.family.name, second: second.family.name}

    client.force_login(first.user)
    client.get(url)
    client.force_login(second.user)
    response, queries = _warm_count(client, url)

    content = response.content.decode()
    assert names[second] in content
    assert names[first] not in content
    assert not any('FROM "cms_communesettings"' in sql for sql in queries)
    # What is kept for everyone holds no family's name.
    # LocMem's own keys are "<prefix>:<version>:<key>".
    kept = [cache.get(key.split(":", 2)[2]) for key in list(cache._cache) if ":frame:" in key]
    assert kept
    for text in kept:
        assert names[first] not in text and names[second] not in text


def test_a_purge_renders_the_frame_again(client, site_pages):  # noqa: F811
    client.force_login(GuardianFactory().user)
    client.get(site_pages["standard page"])
    purge_page_cache()

    _response, queries = _warm_count(client, site_pages["standard page"])
    assert not any('FROM "cms_communesettings"' in sql for sql in queries)


def test_a_preview_renders_the_frame_afresh_and_keeps_nothing(rf, home_page, commune_settings):
    from django.template import engines
    from wagtail.models import Site

    request = rf.get("/")
    request._wagtail_site = Site.objects.get(is_default_site=True)
    request.is_preview = True
    template = engines["django"].from_string('{% load cms_tags %}{% site_frame "footer" %}')

    content = template.render({"page": home_page}, request)

    assert commune_settings.name in content
    assert not [key for key in cache._cache if ":frame:" in key]

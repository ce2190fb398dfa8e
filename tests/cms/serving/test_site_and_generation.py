"""A warm process finds the request's Wagtail Site without a query, and a request reads the
purge generation from the shared cache once, however many kept values it uses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import HomePage
from cms.page_cache import GENERATION_KEY
from tests.cms.helpers import CacheCalls
from tests.factories import GuardianFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def logged_in(client):
    client.force_login(GuardianFactory().user)
    return client


@pytest.fixture
def page(home_page, commune_settings):
    # The settings exist already: their first save, in a first request, would purge.
    return StandardPageFactory(parent=home_page, title="Infos pratiques", show_in_menus=True)


def test_a_warm_process_finds_the_site_without_a_query(logged_in, page, django_assert_num_queries):
    logged_in.get(page.url)

    _response, queries = _queries(logged_in, page.url)

    assert not any('FROM "wagtailcore_site"' in sql for sql in queries)
    # Session, user, the page (route), its view restrictions: nothing for the frame.
    with django_assert_num_queries(len(queries)):
        logged_in.get(page.url)
    assert len(queries) <= 6


def test_a_saved_site_is_seen_by_the_next_request(logged_in, page, home_page):
    logged_in.get(page.url)
    other_home = home_page.get_parent().add_child(
        instance=HomePage(title="Autre commune", slug="autre-commune")
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = other_home
    site.save()  # purges: the process's copy is stale from now on

    response, queries = _queries(logged_in, "/")

    assert any('FROM "wagtailcore_site"' in sql for sql in queries)
    assert response.context["page"].pk == other_home.pk


def test_a_request_does_not_share_its_site_with_the_next(rf, page):
    from cms.site_cache import cached_site_for_request

    first = cached_site_for_request(rf.get("/"))
    first.root_page.title = "Changed by one request"

    second = cached_site_for_request(rf.get("/"))

    assert second.pk == first.pk
    assert second.root_page.title != "Changed by one request"


def test_a_public_page_reads_the_generation_once(logged_in, page, monkeypatch):
    logged_in.get(page.url)
    calls = CacheCalls(monkeypatch)

    logged_in.get(page.url)

    # The menu sections, the site settings: kept values, one generation.
    assert len([key for _name, key in calls.calls if key.startswith("page-cache:")]) >= 3
    assert len(calls.of_key(GENERATION_KEY)) == 1


def test_healthz_reads_the_generation_once(client, monkeypatch):
    client.get("/healthz")
    calls = CacheCalls(monkeypatch)

    client.get("/healthz")

    assert len(calls.of_key(GENERATION_KEY)) == 1
    # The generation and the page cache's entry; the portal's place is in process memory.
    assert len(calls.calls) == 2

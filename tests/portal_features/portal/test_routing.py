"""The portal page's place in the tree is kept until the next purge, so portal requests skip
Wagtail's walk down the page tree, the page and its view restrictions; publishing changes are
still seen at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import CommuneSettings
from cms.page_cache import purge_page_cache
from tests.factories import GuardianFactory, PortalPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(home_page):
    section = StandardPageFactory(parent=home_page, title="Enfance", slug="enfance-jeunesse")
    return section


def _count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def test_portal_screens_are_served_below_the_page_wherever_it_is(client, parent):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = PortalPageFactory(parent=parent)
    client.force_login(GuardianFactory().user)
    url = portal.url + "alerts/"
    assert url == "/enfance-jeunesse/portail-famille/alerts/"

    first, _ = _count(client, url)
    second, queries = _count(client, url)

    assert first.status_code == second.status_code == 200
    # Session, user, family, alerts...: no site, no page of the tree, not the portal page
    # nor its view restrictions (kept until the purge).
    assert not [sql for sql in queries if "wagtailcore_" in sql]


def test_an_unpublished_portal_is_not_served_from_the_kept_route(client, parent):
    portal = PortalPageFactory(parent=parent)
    client.force_login(GuardianFactory().user)
    url = portal.url + "alerts/"
    assert client.get(url).status_code == 200

    portal.unpublish()
    purge_page_cache()

    assert client.get(url).status_code == 404


def test_other_addresses_cost_no_query_for_the_route(client, parent):
    PortalPageFactory(parent=parent)
    client.get("/healthz")
    _response, queries = _count(client, "/healthz")
    assert queries == []

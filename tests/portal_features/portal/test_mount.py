"""Portal screens are plain Django views, resolved by a URLconf that includes them at the
PortalPage's address (portal/mount.py); Wagtail's rules for the page still apply."""

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from portal_features.portal.mount import portal_mount
from portal_features.portal.navigation import navigation_entries
from portal_features.portal.urls import portal_path
from tests.factories import GuardianFactory, PortalPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(home_page):
    return StandardPageFactory(parent=home_page, title="Enfance", slug="enfance-jeunesse")


@pytest.fixture
def portal(section):
    return PortalPageFactory(parent=section)


@pytest.fixture
def parent_client(client):
    client.force_login(GuardianFactory().user)
    return client


def test_every_menu_screen_is_resolved_by_its_own_name_below_the_page(parent_client, portal):
    for viewname, _label in navigation_entries():
        url = portal.url + portal_path(viewname)
        response = parent_client.get(url)
        assert response.status_code == 200, url
        match = response.wsgi_request.resolver_match
        assert match.view_name == viewname
        assert match.route.startswith("enfance-jeunesse/portail-famille/")
        assert "no-store" in response["Cache-Control"]
        assert "Content-Security-Policy" in response


def test_the_site_own_names_reverse_the_same_inside_the_portal(parent_client, portal):
    response = parent_client.get(portal.url)
    mounted = response.wsgi_request.urlconf
    for name, args in [
        ("search", ()),
        ("site_map", ()),
        ("wagtail_serve", ("enfance-jeunesse/",)),
        ("wagtailcore_authenticate_with_password", (1, 2)),
        ("wagtailadmin_home", ()),
    ]:
        assert reverse(name, urlconf=mounted, args=args) == reverse(name, args=args)


def test_other_addresses_are_resolved_as_before(parent_client, portal, section):
    health = parent_client.get("/healthz")
    assert not hasattr(health.wsgi_request, "urlconf")

    public = parent_client.get(section.url)
    assert public.status_code == 200
    assert public.wsgi_request.resolver_match.url_name == "wagtail_serve"
    assert not hasattr(public.wsgi_request, "urlconf")


def test_an_unknown_address_below_the_portal_is_not_found(parent_client, portal):
    assert parent_client.get(portal.url + "no-such-screen/").status_code == 404


def test_a_moved_portal_is_served_at_its_new_address_only(parent_client, portal, home_page):
    old_url = portal.url + portal_path("alerts:list")
    assert parent_client.get(old_url).status_code == 200
    elsewhere = StandardPageFactory(parent=home_page, title="Services", slug="services")

    portal.move(elsewhere, pos="last-child")
    portal.refresh_from_db()

    new_url = portal.url + portal_path("alerts:list")
    assert new_url == "/services/portail-famille/alerts/"
    response = parent_client.get(new_url)
    assert response.status_code == 200
    assert response.wsgi_request.resolver_match.view_name == "alerts:list"
    old = parent_client.get(old_url)
    # Not served there any more: not found, or Wagtail's automatic redirect to the new place.
    assert old.status_code in (301, 302, 404)
    assert old.status_code == 404 or old["Location"].startswith("/services/portail-famille/")


def test_a_renamed_portal_is_served_at_its_new_address(parent_client, portal):
    old_url = portal.url
    portal.slug = "mon-espace"
    portal.save_revision().publish()

    assert parent_client.get("/enfance-jeunesse/mon-espace/").status_code == 200
    assert parent_client.get(old_url + "alerts/").status_code in (301, 302, 404)


def test_a_password_on_an_ancestor_is_asked_before_any_screen(parent_client, portal, section):
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="soleil"
    )
    url = portal.url + portal_path("alerts:list")

    asked = parent_client.get(url)
    action = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, portal.pk])
    assert asked.status_code == 200
    assert action in asked.content.decode()
    assert asked.wsgi_request.resolver_match.view_name == "alerts:list"

    parent_client.post(action, {"password": "soleil", "return_url": url})
    passed = parent_client.get(url)
    assert passed.status_code == 200
    assert action not in passed.content.decode()


def test_a_login_restriction_sends_visitors_to_the_login(client, portal):
    PageViewRestriction.objects.create(page=portal, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(portal.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


def test_removing_a_restriction_is_seen_at_once(client, portal):
    restriction = PageViewRestriction.objects.create(
        page=portal, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(portal.url).status_code == 302

    restriction.delete()

    assert client.get(portal.url).status_code == 200


def test_the_mount_costs_no_query_once_kept(rf, portal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = portal_mount(rf.get("/"))
    with CaptureQueriesContext(connection) as queries:
        again = portal_mount(rf.get("/"))
    assert again is first and again.prefix == "enfance-jeunesse/portail-famille/"
    assert len(queries) == 0

"""The portal inside the site: a page editors place, screens below it, one family per login."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from wagtail.test.utils import WagtailPageTestCase

from cms.models import HomePage, StandardPage
from portal_features.models import PortalPage
from portal_features.portal.family import family_for_user, family_required
from portal_features.portal.urls import portal_reverse
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory, UserFactory

pytestmark = pytest.mark.django_db


class PortalPageTreeTests(WagtailPageTestCase):
    def test_editors_place_the_portal_under_the_home_page_or_a_standard_page(self):
        self.assertAllowedParentPageTypes(PortalPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(PortalPage, {})


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(db):
    return GuardianFactory(family=FamilyFactory(name="DUPONT", number="202600001"))


def test_visitors_see_the_editors_intro_and_how_to_log_in_or_ask_for_an_account(client, portal):
    response = client.get(portal.url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "accueil de loisirs" in content
    assert f"/account/login/?next={portal.url}" in content
    assert "/account/signup/" in content


def test_a_parent_sees_the_portal_home_with_the_family_number(client, portal, guardian):
    client.force_login(guardian.user)

    response = client.get(portal.url)

    content = response.content.decode()
    assert response.status_code == 200
    assert "202600001" in content
    assert 'aria-current="page"' in content
    # The site's frame is there: the portal lives inside the site.
    assert 'id="contenu"' in content and "site-footer" in content


def test_a_login_without_a_family_is_told_why(client, portal):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(portal.url)

    assert response.status_code == 403
    assert "administration" in response.content.decode()


def test_unknown_portal_addresses_are_not_found(client, portal, guardian):
    client.force_login(guardian.user)

    assert client.get(f"{portal.url}nothing-here/").status_code == 404


def test_an_unpublished_portal_is_not_found(client, portal):
    portal.unpublish()

    assert client.get(portal.url).status_code == 404


def test_portal_addresses_are_built_below_the_page(rf, portal):
    request = rf.get("/")

    assert portal_reverse(request, "home") == portal.url


def test_an_archived_family_no_longer_opens_the_portal(guardian):
    assert family_for_user(guardian.user) == guardian.family

    guardian.family.status = "archived"
    guardian.family.save()

    assert family_for_user(guardian.user) is None


def test_family_required_sends_visitors_to_the_login_page_and_sets_the_family(guardian):
    seen = {}

    @family_required
    def view(request):
        seen["family"] = request.family
        return "ok"

    anonymous = RequestFactory().get("/portail-famille/documents/")
    anonymous.user = AnonymousUser()
    response = view(anonymous)
    assert response.status_code == 302
    assert "/account/login/?next=/portail-famille/documents/" in response["Location"]

    logged_in = RequestFactory().get("/")
    logged_in.user = guardian.user
    assert view(logged_in) == "ok"
    assert seen["family"] == guardian.family

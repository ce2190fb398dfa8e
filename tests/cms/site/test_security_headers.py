"""Every response says what the browser may load and use; family pages are never kept."""

import pytest
from django.conf import settings

from cms.page_cache import CACHED_HEADER
from cms.security_headers import serialize_policy
from tests.factories import (
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
    StandardPageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SITE_POLICY = "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"


def assert_site_headers(response):
    policy = response["Content-Security-Policy"]
    assert policy.startswith(SITE_POLICY)
    assert "unsafe-inline" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions


def assert_never_stored(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_public_page_carries_the_policy_rendered_and_cached(client, home_page, commune_settings):
    page = StandardPageFactory(parent=home_page)

    rendered = client.get(page.url)
    cached = client.get(page.url)

    assert (rendered[CACHED_HEADER], cached[CACHED_HEADER]) == ("miss", "hit")
    assert_site_headers(rendered)
    assert_site_headers(cached)
    assert "no-store" not in cached.get("Cache-Control", "")


def test_the_policy_comes_from_the_settings(client, home_page, settings):
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "frame-src": ["https://www.youtube-nocookie.com"],
    }

    response = client.get(home_page.url)

    assert response["Content-Security-Policy"].endswith(
        "; frame-src https://www.youtube-nocookie.com"
    )


def test_the_not_found_page_carries_the_policy_too(client, home_page):
    response = client.get("/page-qui-n-existe-pas/")

    assert response.status_code == 404
    assert_site_headers(response)


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def parent_client(client):
    guardian = GuardianFactory(family=FamilyFactory())
    client.force_login(guardian.user)
    return client


@pytest.mark.parametrize("screen", ["", "family/", "documents/", "messages/", "reservations/"])
def test_portal_screens_are_never_stored(parent_client, portal, screen):
    response = parent_client.get(portal.url + screen)

    assert response.status_code == 200
    assert_never_stored(response)
    assert_site_headers(response)


def test_the_portal_welcome_is_never_stored_nor_cached(client, portal, commune_settings):
    client.get(portal.url)
    response = client.get(portal.url)

    assert response.status_code == 200
    assert_never_stored(response)
    assert CACHED_HEADER not in response


@pytest.mark.parametrize("url", ["/account/login/", "/account/signup/", "/account/password-reset/"])
def test_account_forms_are_never_stored(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert_never_stored(response)
    assert_site_headers(response)


def test_the_password_change_is_never_stored(client):
    client.force_login(UserFactory())

    response = client.get("/account/password/")

    assert response.status_code == 200
    assert_never_stored(response)


def test_the_admin_gets_its_own_policy(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    dashboard = client.get("/admin/")
    login = client.get("/admin/login/")

    assert dashboard.status_code == 200
    expected = serialize_policy(settings.CONTENT_SECURITY_POLICY_ADMIN)
    assert dashboard["Content-Security-Policy"] == expected
    assert login["Content-Security-Policy"] == expected
    assert "script-src 'self' 'unsafe-inline'" in expected
    assert "camera=()" in dashboard["Permissions-Policy"]

"""« Mon compte »: one page of the portal's menu linking the account's settings."""

import pytest

from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def test_my_account_is_in_the_portal_menu_and_links_every_setting(client, portal):
    guardian = GuardianFactory(family=FamilyFactory(), consents_to_sms=True)
    client.force_login(guardian.user)

    home = client.get(portal.url).content.decode()
    account_url = portal.url + "my-account/"
    assert f'href="{account_url}"' in home

    response = client.get(account_url)

    content = response.content.decode()
    assert response.status_code == 200
    assert guardian.user.email in content
    assert 'href="/account/password/"' in content
    assert 'href="/account/email/"' in content
    assert f'href="{portal.url}family/guardians/{guardian.pk}/edit/"' in content
    assert f'href="{portal.url}my-data/"' in content
    assert f'<a href="{account_url}" aria-current="page">' in content
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_my_account_asks_a_visitor_to_log_in(client, portal):
    response = client.get(portal.url + "my-account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")

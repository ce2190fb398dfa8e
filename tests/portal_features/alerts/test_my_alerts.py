"""« Mes alertes »: the family's alerts, newest first; seen once, the menu's count drops."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal_features.alerts.kinds import AlertKind
from portal_features.alerts.tell import family_tell
from portal_features.models import Link, Notification
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian():
    return GuardianFactory(family=FamilyFactory())


def badge(html):
    return 'class="badge">' in html.split("portal-nav", 1)[1].split("</nav>", 1)[0]


def test_the_alerts_page_lists_newest_first_then_the_badge_drops(client, portal, guardian):
    family = guardian.family
    now = timezone.now()
    family_tell(
        family,
        kind=AlertKind.DOCUMENT_VALIDATED,
        title="Pièce validée : vaccinations",
        now=now - datetime.timedelta(days=2),
    )
    family_tell(
        family,
        kind=AlertKind.REQUEST_REFUSED,
        title="Demande refusée",
        body="Justificatif illisible",
        link=Link("family_file:overview"),
        now=now,
    )
    family_tell(FamilyFactory(), kind="new_message", title="Chez les voisins")
    client.force_login(guardian.user)

    home = client.get(portal.url).content.decode()
    assert badge(home)
    assert f'href="{portal.url}alerts/"' in home

    html = client.get(portal.url + "alerts/").content.decode()

    assert html.index("Demande refusée") < html.index("Pièce validée : vaccinations")
    assert "Justificatif illisible" in html and f'href="{portal.url}family/"' in html
    assert html.count("alert-list__item--unread") == 2  # shown as new this time
    assert "Chez les voisins" not in html
    assert not Notification.objects.for_family(family).unread().exists()
    assert not badge(client.get(portal.url).content.decode())
    assert "alert-list__item--unread" not in client.get(portal.url + "alerts/").content.decode()
    # The other family's alert is untouched.
    assert Notification.objects.unread().count() == 1


def test_unread_alerts_are_listed_on_the_portal_home(client, portal, guardian):
    family_tell(guardian.family, kind="account_accepted", title="Bienvenue")
    client.force_login(guardian.user)

    html = client.get(portal.url).content.decode()

    assert f'<a href="{portal.url}alerts/">' in html


def test_visitors_are_sent_to_the_login_page(client, portal):
    response = client.get(portal.url + "alerts/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def _alerts_page_queries(client, portal):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(portal.url + "alerts/")
    assert response.status_code == 200
    return len(queries)


def test_the_alerts_page_query_count_does_not_grow(client, portal, guardian):
    client.force_login(guardian.user)
    family_tell(guardian.family, kind="new_message", title="Un")
    # The process keeps the site and the portal's place once the first pages were served.
    for _warm_up in range(2):
        client.get(portal.url + "alerts/")
    family_tell(guardian.family, kind="new_message", title="Deux")
    with_one_unread = _alerts_page_queries(client, portal)
    for number in range(15):
        family_tell(guardian.family, kind="new_message", title=f"Alerte {number}")

    assert _alerts_page_queries(client, portal) == with_one_unread <= 12

"""The menu's unread count is read once, by the screens that show it, and the family once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.models import Notification
from portal_features.portal.urls import portal_path
from tests.factories import GuardianFactory, PortalPageFactory, SupportingDocumentFactory

pytestmark = pytest.mark.django_db

COUNT_OF_ALERTS = re.compile(r'COUNT\(.*FROM "portal_features_notification"')


@pytest.fixture
def portal(home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def guardian(db):
    guardian = GuardianFactory()
    for title in ("Facture publiée", "Nouveau message"):
        Notification.objects.create(family=guardian.family, kind="new_message", title=title)
    return guardian


def _sql(client, url) -> tuple:
    client.get(url)  # warm: the site, the portal's place, the frame
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def test_a_screen_with_the_menu_reads_the_count_once_and_the_family_once(client, portal, guardian):
    client.force_login(guardian.user)

    response, queries = _sql(client, portal.url + portal_path("documents:list"))

    assert response.status_code == 200
    assert len([sql for sql in queries if COUNT_OF_ALERTS.search(sql)]) == 1
    assert len([sql for sql in queries if 'FROM "portal_features_family"' in sql]) == 1
    badge = next(item for item in response.context["portal_nav"] if item.badge)
    assert badge.badge == 2


def test_a_download_does_not_read_the_count(client, portal, guardian):
    document = SupportingDocumentFactory(family=guardian.family)
    client.force_login(guardian.user)

    response, queries = _sql(
        client, portal.url + portal_path("documents:download", document_id=document.pk)
    )

    assert response.status_code == 200
    assert not [sql for sql in queries if COUNT_OF_ALERTS.search(sql)]
    assert len([sql for sql in queries if 'FROM "portal_features_family"' in sql]) == 1


def test_the_alerts_list_shows_the_count_after_marking_them_read(client, portal, guardian):
    client.force_login(guardian.user)

    response = client.get(portal.url + portal_path("alerts:list"))

    assert response.status_code == 200
    assert not any(item.badge for item in response.context["portal_nav"])
    menu = response.content.decode().split('class="portal-nav"')[1].split("</nav>")[0]
    assert 'class="badge"' not in menu

"""A change to the family's file refused lately is among the urgent items of the portal home,
linked to « Mes demandes »; a refusal older than a month is not."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.change_requests.services import change_request_refuse, change_request_submit
from portal_features.portal.urls import portal_path
from tests.factories import GuardianFactory, PortalPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(guardian, summary, *, days_ago):
    change_request = change_request_submit(
        family=guardian.family,
        target=guardian,
        changes={"profession": "Infirmière"},
        user=guardian.user,
        summary=summary,
    )
    return change_request_refuse(
        change_request=change_request,
        actor=UserFactory(is_staff=True),
        reason="Justificatif manquant",
        now=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_a_recent_refusal_is_urgent_on_the_home_an_old_one_is_gone(client, home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = PortalPageFactory(parent=home_page)
    guardian = GuardianFactory()
    refused(guardian, "Profession de Claire", days_ago=2)
    refused(guardian, "Téléphone de Claire", days_ago=40)
    client.force_login(guardian.user)

    content = client.get(portal.url).content.decode()

    urgent = content[content.index("À faire en priorité") : content.index("attention-heading")]
    assert "Modification refusée : Profession de Claire" in urgent
    assert portal.url + portal_path("family_file:requests") in urgent
    assert "Téléphone de Claire" not in content

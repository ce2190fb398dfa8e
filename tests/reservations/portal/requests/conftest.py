"""« Inscriptions et réservations »: a fixed clock, the portal, a logged-in parent, and
helpers that add a child, open an activity and register to it."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from core.choices import RequestStatus
from portal_features.portal.urls import portal_path
from tests.factories import (
    ActivityFactory,
    ChildFactory,
    GroupFactory,
    PortalPageFactory,
    RegistrationFactory,
    SchoolYearFactory,
    UnitFactory,
)

from ...conftest import NOW

R = RequestStatus


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The portal's views read the time from timezone.now(): Monday 23 Nov 2026, 10:00."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def portal(home_page):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def parent(client, world):
    client.force_login(world.guardian.user)
    return world.guardian


def url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(f"reservations:{name}", **kwargs)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def new_child(world, first_name="Léa"):
    return ChildFactory(family=world.family, first_name=first_name, last_name="DUPONT")


def open_activity(world, **fields):
    activity = ActivityFactory(school_year=world.activity.school_year, **fields)
    UnitFactory(activity=activity)
    GroupFactory(activity=activity)
    return activity


def register(world, activity, *, child=None, family=None, **fields):
    return RegistrationFactory(
        family=family or world.family,
        child=child or world.child,
        activity=activity,
        group=activity.groups.get(),
        **fields,
    )


def next_year():
    return SchoolYearFactory(
        name="2027-2028",
        start_date=datetime.date(2027, 9, 1),
        end_date=datetime.date(2028, 8, 31),
    )

"""The booking wizard in the portal: a clock, the portal and its addresses, a logged-in
parent, and helpers that read the planning or fill the basket."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.portal.urls import portal_path
from reservations.services import basket as basket_services
from tests import factories

from ...conftest import NOW

DECEMBER_WEDNESDAYS = [datetime.date(2026, 12, day) for day in (2, 9, 16, 23, 30)]
PRICE = "12,20\u00a0€"
# « 25/11/26 : 8 h 30 – 17 h 30 », times as families read them.
PERIOD = "25/11/26 : 8\u00a0h\u00a030 – 17\u00a0h\u00a030"


@pytest.fixture
def clock(monkeypatch):
    """The time the views read (they pass it on to every service): NOW unless a test moves
    it. Model defaults keep the real clock; every service gets `now=` from the view."""
    current = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])
    return current


@pytest.fixture
def portal(home_page):
    # Created now: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


@pytest.fixture
def url(portal):
    def build(name, query=None, **kwargs):
        address = portal.url + portal_path(f"reservations:{name}", **kwargs)
        return f"{address}?{query}" if query else address

    return build


@pytest.fixture
def parent(client, world, clock, portal):
    client.force_login(world.guardian.user)
    return client


def cell(child, day) -> str:
    return f"{child.pk}:{day:%Y-%m-%d}"


def planning_url(url, world, month) -> str:
    query = f"child={world.child.pk}&activity={world.activity.pk}&month={month}"
    return url("booking_planning", query)


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def put_in_basket(world, family, child, days, now=NOW):
    added, refused = basket_services.basket_add_bookings(
        family=family, child_id=child.pk, unit_id=world.unit.pk, days=days, user=None, now=now
    )
    assert not refused
    return added

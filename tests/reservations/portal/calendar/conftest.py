"""« Mon calendrier »: a clock, a small commune with its portal, a logged-in parent, and
the helpers that book days and read the month's cells."""

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Site

from cms.models import CommuneSettings
from portal_features.portal.urls import portal_path
from reservations.models import (
    Reservation,
    ReservationRule,
)
from reservations.services import basket as basket_services
from tests import factories
from tests.files import pdf_bytes

from ...conftest import NOW, make_world

PDF = pdf_bytes()
DEC_2, DEC_9, DEC_16, DEC_23 = (datetime.date(2026, 12, day) for day in (2, 9, 16, 23))
NOV_11, NOV_18 = datetime.date(2026, 11, 11), datetime.date(2026, 11, 18)


# --- Fixtures and helpers ---------------------------------------------------------------


class Clock:
    def __init__(self, now):
        self.now = now


@pytest.fixture
def clock(monkeypatch):
    """The portal's "now" for the views (the services read timezone.now())."""
    current = Clock(NOW)
    monkeypatch.setattr(timezone, "now", lambda: current.now)
    return current


@pytest.fixture
def portal(home_page):
    # Created first: the site settings' first save would purge the caches between requests.
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    return factories.PortalPageFactory(parent=home_page)


def url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(f"reservations:{name}", **kwargs)


def with_48h_rule(world):
    """Free cancellation until 48 h before 08:30 on the day (Wednesday → Monday 08:30)."""
    world.activity.rule = ReservationRule.objects.create(
        name=f"48 h {world.activity.pk}",
        cancellation_deadline={"kind": "hours_before", "hours": 48, "start": "08:30"},
    )
    world.activity.save()
    return world


def book(world, family, child, guardian, days, now=NOW):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=days,
        user=guardian.user,
        now=now,
    )
    basket_services.basket_submit(family=family, user=guardian.user, now=now)
    return {
        reservation.day: reservation
        for reservation in Reservation.objects.filter(child=child, day__in=days)
    }


@pytest.fixture
def world(clock):
    return with_48h_rule(make_world(capacity=1))


@pytest.fixture
def logged_in(client, portal, world):
    client.force_login(world.guardian.user)
    return client


CELL = re.compile(
    r'<td class="cal__cell cal__cell--(?P<state>\w+)" data-state="(?P=state)" '
    r'title="[^"]*"(?: headers="[^"]*")?>(?P<body>.*?)</td>',
    re.S,
)


def month_cells(response) -> list[tuple[str, str]]:
    """(state, inner html) of the table's cells, in the order of the rows and days."""
    return [(m["state"], m["body"]) for m in CELL.finditer(response.content.decode())]


def cells_by_day(response, month: datetime.date) -> dict:
    cells = month_cells(response)
    days = [month + datetime.timedelta(days=offset) for offset in range(len(cells))]
    return dict(zip(days, cells, strict=True))


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []

"""The prices families and staff read come from the tariffs: the basket and its total,
the order's lines, the planning, and staff's « Simuler un prix »."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from cms.models import CommuneSettings
from cms.staff_groups import COMMUNICATION, ENFANCE
from portal_features.models import QuotientRecord
from portal_features.portal.urls import portal_path
from reservations.errors import ReservationError
from reservations.models import Order, Reservation, SiblingReduction, Tariff, TariffBracket
from reservations.selectors.orders import basket_summary
from reservations.selectors.prices import price_simulation
from reservations.services import basket as basket_services
from tests import factories
from tests.admin.screens import staff_in

from ..conftest import NOW, WEDNESDAY

pytestmark = pytest.mark.django_db

D = Decimal
DECEMBER = [datetime.date(2026, 12, 2), datetime.date(2026, 12, 9)]


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def tariffs(world):
    """QF brackets for the childcare, a meal of its own, −50 % for the second child."""
    care = Tariff.objects.create(
        unit=world.unit,
        valid_from=datetime.date(2026, 9, 1),
        method="qf_brackets",
        sibling_mode="rank",
    )
    TariffBracket.objects.create(tariff=care, qf_min=0, qf_max=700, amount="5.00")
    TariffBracket.objects.create(tariff=care, qf_min=700, qf_max=None, amount="8.00")
    SiblingReduction.objects.create(tariff=care, position=2, percent=50)
    Tariff.objects.create(
        unit=world.unit,
        kind="meal",
        valid_from=datetime.date(2026, 9, 1),
        method="flat",
        amount="3.00",
    )
    QuotientRecord.objects.create(
        family=world.family, value=650, valid_from=datetime.date(2026, 9, 1), source="caf"
    )
    return care


def fill_basket(world, child, days=DECEMBER):
    added, refused = basket_services.basket_add_bookings(
        family=world.family, child_id=child.pk, unit_id=world.unit.pk, days=days, user=None, now=NOW
    )
    assert not refused and len(added) == len(days)


def test_the_basket_prices_each_day_at_the_familys_tariff_siblings_counted(world, tariffs):
    younger = factories.ChildFactory(family=world.family, birth_date=datetime.date(2020, 1, 1))
    factories.RegistrationFactory(
        family=world.family, child=younger, activity=world.activity, group=world.group
    )
    fill_basket(world, world.child)
    fill_basket(world, younger, DECEMBER[:1])

    summary = basket_summary(world.family)

    prices = {
        (month.lines[0].item.child_id, line.item.day): line.unit_price
        for group in summary.children
        for month in group.months
        for line in month.lines
    }
    assert prices == {
        (world.child.pk, DECEMBER[0]): D("8.00"),  # 5.00 + meal 3.00
        (world.child.pk, DECEMBER[1]): D("8.00"),
        (younger.pk, DECEMBER[0]): D("5.50"),  # second child that day: 2.50 + 3.00
    }
    assert summary.total == D("21.50")
    younger_line = summary.children[1].months[0].lines[0]
    with translation.override("fr"):
        assert "enfant n° 2 : −50 %" in younger_line.explanation


def test_the_order_keeps_what_the_basket_showed(world, tariffs):
    fill_basket(world, world.child)

    order = basket_services.basket_submit(family=world.family, user=None, now=NOW)

    assert order.total == D("16.00")
    assert {line.unit_price for line in order.lines.all()} == {D("8.00")}
    assert {r.unit_price for r in Reservation.objects.filter(family=world.family)} == {D("8.00")}


def test_the_basket_page_shows_the_tariff_price_and_why(client, world, tariffs, clock, home_page):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = factories.PortalPageFactory(parent=home_page)
    fill_basket(world, world.child)
    client.force_login(world.guardian.user)

    html = client.get(portal.url + portal_path("reservations:basket")).content.decode()

    assert "8,00\u00a0€" in html and "16,00\u00a0€" in html
    assert "12,20\u00a0€" not in html  # the unit's own price, no longer shown
    assert "QF 650 (CAF) – tranche 1 : 0 ≤ QF &lt; 700" in html


def test_the_planning_shows_the_familys_price_of_each_unit(
    client, world, tariffs, clock, home_page
):
    CommuneSettings.for_site(Site.objects.get(is_default_site=True))
    portal = factories.PortalPageFactory(parent=home_page)
    client.force_login(world.guardian.user)
    query = f"child={world.child.pk}&activity={world.activity.pk}&month=2026-12"

    html = client.get(
        portal.url + portal_path("reservations:booking_planning") + "?" + query
    ).content.decode()

    assert "8,00\u00a0€" in html and "12,20\u00a0€" not in html


def test_staff_simulate_a_price_in_words(world, tariffs):
    results = price_simulation(
        family=world.family,
        child=world.child,
        unit=world.unit,
        day=WEDNESDAY,
        situation="absence_billed",
    )

    with translation.override("fr"):
        assert [(r.kind, r.amount, r.explanation()) for r in results] == [
            (
                "childcare",
                D("5.00"),
                "QF 650 (CAF) – tranche 1 : 0 ≤ QF < 700 – absence facturée : 100 % du prix",
            ),
            ("meal", D("3.00"), "Tarif forfaitaire – absence facturée : 100 % du prix"),
        ]


def test_a_simulation_refuses_a_child_of_another_family(world, tariffs):
    stranger = factories.ChildFactory(family=factories.FamilyFactory())

    with pytest.raises(ReservationError):
        price_simulation(family=world.family, child=stranger, unit=world.unit, day=WEDNESDAY)


def test_the_simulation_screen_for_enfance_staff_only(client, world, tariffs):
    url = reverse("reservations_price_simulation")
    query = {
        "family": world.family.pk,
        "child": world.child.pk,
        "unit": world.unit.pk,
        "day": WEDNESDAY.isoformat(),
        "situation": "present",
    }
    client.force_login(staff_in(COMMUNICATION))
    assert client.get(url, query).status_code in (302, 403)

    client.force_login(staff_in(ENFANCE))
    response = client.get(url, query)
    stranger = factories.ChildFactory(family=factories.FamilyFactory())
    refused = client.get(url, {**query, "child": stranger.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "5,00\u00a0€" in html and "8,00\u00a0€" in html
    assert "tranche 1 : 0 ≤ QF &lt; 700" in html
    assert refused.status_code == 200 and "child" in refused.context["form"].errors
    assert not Order.objects.exists()

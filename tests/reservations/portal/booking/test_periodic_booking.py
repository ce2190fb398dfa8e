"""Periodic booking from the planning: parity, holidays, refused days, form errors."""

import datetime

import pytest

from reservations.models import BasketItem
from reservations.services import basket as basket_services

from ...conftest import NOW, PARIS
from .conftest import put_in_basket, texts

pytestmark = pytest.mark.django_db


# --- Periodic booking --------------------------------------------------------------------------


def periodic(client, world, url, **fields):
    data = {
        "child": [world.child.pk],
        "activity": world.activity.pk,
        "units": [world.unit.pk],
        "weekdays": [2],
        "parity": "every",
        **fields,
    }
    return client.post(url("basket_periodic"), data)


def test_periodic_booking_on_odd_weeks(parent, world, url, clock):
    clock["now"] = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    response = periodic(parent, world, url, start="2026-11-02", end="2026-12-20", parity="odd")
    assert response.status_code == 302
    # ISO weeks 45, 47, 49 and 51.
    assert sorted(BasketItem.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 11, 4),
        datetime.date(2026, 11, 18),
        datetime.date(2026, 12, 2),
        datetime.date(2026, 12, 16),
    ]


def test_periodic_booking_skips_the_11_november_holiday(parent, world, url, clock):
    clock["now"] = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    response = periodic(parent, world, url, start="2026-11-02", end="2026-11-30")
    assert response.status_code == 302
    assert sorted(BasketItem.objects.values_list("day", flat=True)) == [
        datetime.date(2026, 11, 4),
        datetime.date(2026, 11, 18),
        datetime.date(2026, 11, 25),
    ]
    assert any(text.startswith("3") for text in texts(response))


def test_periodic_booking_reports_the_refused_days(parent, world, url):
    put_in_basket(world, world.family, world.child, [datetime.date(2026, 12, 9)])
    basket_services.basket_submit(family=world.family, user=None, now=NOW)
    response = periodic(parent, world, url, start="2026-12-01", end="2026-12-31")
    assert set(BasketItem.objects.values_list("day", flat=True)) == {
        datetime.date(2026, 12, 2),
        datetime.date(2026, 12, 16),
        datetime.date(2026, 12, 23),
        datetime.date(2026, 12, 30),
    }
    assert any("09/12/2026" in text for text in texts(response))


def test_an_invalid_periodic_form_is_shown_again_with_its_errors(parent, world, url):
    response = periodic(parent, world, url, start="2026-12-20", end="2026-12-01")
    assert response.status_code == 200
    assert response.context["periodic_form"].errors["end"]
    response = periodic(parent, world, url, start="2026-12-01", end="2026-12-31", units=[])
    assert response.status_code == 200
    assert "units" in response.context["periodic_form"].errors
    assert not BasketItem.objects.exists()


def test_periodic_booking_for_another_familys_child_is_not_found(parent, world, url):
    _family, _guardian, (their_child,) = world.add_family()
    response = periodic(
        parent,
        world,
        url,
        child=[world.child.pk, their_child.pk],
        start="2026-12-01",
        end="2026-12-31",
    )
    assert response.status_code == 404
    assert not BasketItem.objects.exists()

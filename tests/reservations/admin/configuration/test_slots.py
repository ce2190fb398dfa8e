"""« Jours d'ouverture »: filtered by activity and days, places and closing changed."""

import pytest

from reservations.models import (
    Slot,
)
from reservations.services import booking
from tests.portal_features.signup.test_admin import refused

from ...conftest import NOW, make_world
from .helpers import admin_url, book, form_errors

pytestmark = pytest.mark.django_db


def test_opening_days_list_filters_and_counts_the_waiting_list(enfance, world):
    book(world, world.family, world.child, world.guardian)
    for _ in range(2):
        family, guardian, (child,) = world.add_family()
        book(world, family, child, guardian)
    other = make_world()

    def listed(**params):
        response = enfance.get(admin_url("slot"), params)
        assert response.status_code == 200
        return list(response.context["object_list"])

    wednesday = listed(activity=world.activity.pk, day_from="2026-11-25", day_to="2026-11-25")
    assert [(s.pk, s.booked, s.capacity, s.waiting_total) for s in wednesday] == [
        (world.slot().pk, 2, 2, 1)
    ]
    december = listed(activity=world.activity.pk, day_from="2026-12-01", day_to="2026-12-31")
    # The fixture's activity opens every Wednesday, school holidays included.
    assert [s.day.day for s in december] == [2, 9, 16, 23, 30]
    assert {s.unit.activity_id for s in listed(activity=other.activity.pk)} == {other.activity.pk}
    Slot.objects.filter(pk=world.slot().pk).update(is_closed=True, closed_reason="Grève")
    assert [s.pk for s in listed(is_closed__exact="1")] == [world.slot().pk]
    html = enfance.get(admin_url("slot"), {"day_from": "2026-11-25", "day_to": "2026-11-25"})
    assert "2 / 2" in html.content.decode() and "Grève" in html.content.decode()


def test_a_day_capacity_below_the_places_taken_is_refused(enfance, world):
    book(world, world.family, world.child, world.guardian)
    family, guardian, (child,) = world.add_family()
    book(world, family, child, guardian)
    slot = world.slot()
    url = admin_url("slot", "edit", slot.pk)
    assert enfance.get(url).context["form"]["places"].value() == 2

    response = enfance.post(url, {"places": "1", "is_closed": "on", "closed_reason": "Sortie"})

    assert response.status_code == 200
    assert "places" in form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed) == (2, 2, False)


def test_a_day_capacity_and_closing_are_changed(enfance, world):
    book(world, world.family, world.child, world.guardian)
    slot = world.slot()
    url = admin_url("slot", "edit", slot.pk)

    no_reason = enfance.post(url, {"places": "5", "is_closed": "on", "closed_reason": ""})
    assert "closed_reason" in form_errors(no_reason)

    # A booked child: closing here would leave the family booked on a closed day.
    refused_closing = enfance.post(
        url, {"places": "5", "is_closed": "on", "closed_reason": "Travaux"}
    )
    assert refused_closing.status_code == 200
    assert "places" in form_errors(refused_closing)
    slot.refresh_from_db()
    assert (slot.capacity, slot.is_closed) == (2, False)

    response = enfance.post(url, {"places": "5", "closed_reason": ""})
    assert response.status_code == 302, form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed) == (5, 1, False)

    reservation = slot.reservations.get()
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )
    response = enfance.post(url, {"places": "5", "is_closed": "on", "closed_reason": "Travaux"})
    assert response.status_code == 302, form_errors(response)
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked, slot.is_closed, slot.closed_reason) == (
        5,
        0,
        True,
        "Travaux",
    )
    enfance.post(url, {"places": "5", "closed_reason": "Travaux"})
    slot.refresh_from_db()
    assert (slot.is_closed, slot.closed_reason) == (False, "")


def test_opening_days_cannot_be_created_or_deleted(enfance, world):
    assert refused(enfance.get(admin_url("slot", "create")))
    assert refused(enfance.get(admin_url("slot", "delete", world.slot().pk)))

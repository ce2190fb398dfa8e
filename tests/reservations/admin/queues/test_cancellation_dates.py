"""« Demandes d'annulation » says when the cancellation was asked, not when the day was
booked, and « Traité le » only once the cancellation is decided (until then the reservation
still carries the booking's decision)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone, translation

from reservations.admin.queues import CancellationRequestQueue, queue_url
from reservations.admin.queues.common import field_label, moment
from reservations.choices import ReservationStatus as S
from reservations.models import Reservation
from reservations.services import booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(world, enfance_user):
    """Booked five days ago, validated four days ago, its cancellation asked now."""
    now = timezone.now()
    day = world.unit.slots.filter(day__gt=timezone.localdate()).order_by("day").first().day
    with transaction.atomic():
        reservation = booking.reservation_book(
            family=world.family,
            child=world.child,
            slot=world.slot(day),
            unit_price=world.unit.price,
            user=world.guardian.user,
            now=now - datetime.timedelta(days=5),
        )
    booking.reservation_accept(
        reservation_id=reservation.pk, actor=enfance_user, now=now - datetime.timedelta(days=4)
    )
    reservation = booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=now
    )
    assert reservation.status == S.CANCELLATION_REQUESTED
    return Reservation.objects.get(pk=reservation.pk), now


def labels(rows) -> dict:
    return {str(label): str(value) for label, value in rows}


def test_the_list_and_the_item_say_when_the_cancellation_was_asked(staff_client, asked):
    reservation, asked_at = asked
    booked_at = moment(reservation.requested_at)

    with translation.override("fr"):
        listing = staff_client.get(queue_url(CancellationRequestQueue))
        item = staff_client.get(queue_url(CancellationRequestQueue, "inspect", reservation.pk))
        decided_label = str(field_label(Reservation, "decided_at"))

    headers = [str(header["text"]) for header in listing.context["result_headers"]]
    assert "Annulation demandée le" in headers
    content = listing.content.decode()
    assert moment(asked_at) in content and booked_at not in content
    rows = labels(item.context["rows"])
    assert rows["Annulation demandée le"] == moment(asked_at)
    assert rows["Jour réservé le"] == booked_at
    # Still pending: no « Traité le », though the booking was validated four days ago.
    assert decided_label not in rows


def test_traite_le_shows_once_the_cancellation_is_refused(staff_client, asked):
    reservation, asked_at = asked
    staff_client.post(
        queue_url(CancellationRequestQueue, "refuse", reservation.pk), {"reason": "Hors délai"}
    )
    reservation.refresh_from_db()
    assert reservation.status == S.ACCEPTED

    with translation.override("fr"):
        item = staff_client.get(queue_url(CancellationRequestQueue, "inspect", reservation.pk))
        decided_label = str(field_label(Reservation, "decided_at"))

    rows = labels(item.context["rows"])
    assert rows[decided_label] == moment(reservation.decided_at)
    assert reservation.decided_at >= asked_at
    assert rows["Annulation demandée le"] == moment(asked_at)

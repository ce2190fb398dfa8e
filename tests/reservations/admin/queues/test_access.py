"""Who reaches the queues « Demandes (réservations) », and what listing them changes (nothing)."""

import pytest
from django.urls import reverse

from reservations.admin.queues import (
    AbsenceQueue,
    BookingRequestQueue,
    CancellationRequestQueue,
    EnrolmentQueue,
    RegistrationQueue,
    queue_url,
)
from reservations.choices import ReservationStatus as S
from reservations.models import Enrolment, Reservation
from reservations.services import booking

from .helpers import (
    book,
    pending_enrolment,
    refused,
    status,
)

pytestmark = pytest.mark.django_db


def test_a_family_user_cannot_reach_any_queue(client, world, day, enfance_user):
    reservation = book(world, world.family, world.child, world.guardian, day)
    client.force_login(world.guardian.user)
    for queue in (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
    ):
        assert refused(client.get(queue_url(queue))), queue
        assert refused(client.get(queue_url(queue, "bulk"))), queue
    assert refused(client.get(queue_url(BookingRequestQueue, "inspect", reservation.pk)))
    assert refused(client.post(queue_url(BookingRequestQueue, "accept", reservation.pk)))
    assert status(reservation) == S.REQUESTED


def test_the_group_menu_shows_the_queues_to_enfance(staff_client):
    content = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert queue_url(BookingRequestQueue) in content
    assert queue_url(AbsenceQueue) in content


def test_a_decided_item_has_no_buttons_and_cannot_be_decided_again(
    staff_client, world, day, enfance_user
):
    reservation = book(world, world.family, world.child, world.guardian, day)
    booking.reservation_accept(reservation_id=reservation.pk, actor=enfance_user)

    inspect = staff_client.get(queue_url(BookingRequestQueue, "inspect", reservation.pk))
    assert queue_url(BookingRequestQueue, "refuse", reservation.pk) not in inspect.content.decode()
    response = staff_client.post(
        queue_url(BookingRequestQueue, "refuse", reservation.pk), {"reason": "Non"}, follow=True
    )
    assert status(reservation) == S.ACCEPTED
    assert "Cette demande a déjà été traitée." in [str(m) for m in response.context["messages"]]


def test_queue_models_are_untouched_by_listing(staff_client, world):
    """Listing never changes what it lists (no status moves on GET)."""
    pending = pending_enrolment(world, "Léonie")
    for queue in (
        EnrolmentQueue,
        RegistrationQueue,
        BookingRequestQueue,
        CancellationRequestQueue,
        AbsenceQueue,
    ):
        assert staff_client.get(queue_url(queue)).status_code == 200
        assert staff_client.get(queue_url(queue), {"state": "decided"}).status_code == 200
        assert staff_client.get(queue_url(queue, "bulk")).status_code == 200
    assert Enrolment.objects.get(pk=pending.pk).status == "pending"
    assert Reservation.objects.count() == 0

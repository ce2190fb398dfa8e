"""« Demandes de réservation » and « Demandes d'annulation »: single and bulk decisions,
the history of a reservation, the waiting list."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from portal_features.models import Notification
from reservations.admin.queues import (
    BookingRequestQueue,
    CancellationRequestQueue,
    queue_url,
)
from reservations.choices import ReservationStatus as S

from .helpers import (
    FIELD_REQUIRED,
    REFUSAL_REQUIRED,
    accepted,
    book,
    cancellation_request,
    listed,
    status,
)

pytestmark = pytest.mark.django_db


def test_booking_queue_lists_only_requests_and_shows_the_history(
    staff_client, world, day, enfance_user
):
    requested = book(world, world.family, world.child, world.guardian, day)
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)
    assert (requested.status, waiting.status) == (S.REQUESTED, S.WAITING)

    content = staff_client.get(queue_url(BookingRequestQueue)).content.decode()
    assert listed(content, world.child) and not listed(content, c2)
    assert queue_url(BookingRequestQueue, "accept", requested.pk) in content

    staff_client.post(queue_url(BookingRequestQueue, "accept", requested.pk))
    assert status(requested) == S.ACCEPTED

    inspect = staff_client.get(queue_url(BookingRequestQueue, "inspect", requested.pk))
    history = inspect.context["history"]
    with translation.override("fr"):
        requested_label, accepted_label = str(S.REQUESTED.label), str(S.ACCEPTED.label)
        staff, family = gettext("Staff"), gettext("Family")
    assert [(e["from"], e["to"]) for e in history] == [
        ("—", requested_label),
        (requested_label, accepted_label),
    ]
    assert (history[1]["who"], history[1]["side"]) == ("Sophie Marchand", staff)
    assert history[0]["side"] == family
    text = inspect.content.decode()
    assert "Sophie Marchand" in text and accepted_label in text


def test_refusing_a_booking_frees_its_place_for_the_waiting_child(staff_client, world, day):
    requested = book(world, world.family, world.child, world.guardian, day)
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)

    empty = staff_client.post(queue_url(BookingRequestQueue, "refuse", requested.pk))
    assert empty.context["form"].errors["reason"] == [FIELD_REQUIRED]
    assert status(requested) == S.REQUESTED

    staff_client.post(
        queue_url(BookingRequestQueue, "refuse", requested.pk), {"reason": "Groupe complet"}
    )

    requested.refresh_from_db()
    assert (requested.status, requested.refusal_reason) == (S.REFUSED, "Groupe complet")
    assert status(waiting) == S.OFFERED
    assert world.slot(day).booked == 1
    assert Notification.objects.filter(family=f2, kind="place_offered").count() == 1
    note = requested.events.get(to_status=S.REFUSED).note
    assert note == "Groupe complet"


def test_bulk_booking_decisions_and_the_waiting_list(staff_client, world, day):
    world.group.slots.filter(day=day).update(capacity=2)
    families = [world.add_family() for _ in range(3)]
    first, second, third = (book(world, f, c, g, day) for f, g, (c,) in families)
    assert (first.status, second.status, third.status) == (S.REQUESTED, S.REQUESTED, S.WAITING)
    bulk = queue_url(BookingRequestQueue, "bulk")

    no_reason = staff_client.post(bulk, {"requests": [first.pk], "decision": "refuse"})
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]

    staff_client.post(bulk, {"requests": [first.pk], "decision": "accept"})
    response = staff_client.post(
        bulk,
        {"requests": [first.pk, second.pk], "decision": "refuse", "reason": "Sortie annulée"},
        follow=True,
    )

    assert (status(first), status(second), status(third)) == (S.ACCEPTED, S.REFUSED, S.OFFERED)
    messages = [str(message) for message in response.context["messages"]]
    # The one already decided is reported by name; the other goes through.
    assert any(first.child.first_name in m and "déjà été traitée" in m for m in messages)
    assert any(m.startswith("1 ") for m in messages)


def test_cancellation_queue_accepts_and_promotes_the_waiting_child(
    staff_client, world, day, enfance_user
):
    asked = cancellation_request(
        world, world.family, world.child, world.guardian, day, enfance_user
    )
    f2, g2, (c2,) = world.add_family()
    waiting = book(world, f2, c2, g2, day)
    f3, g3, (c3,) = world.add_family()
    other_day = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    kept = accepted(world, f3, c3, g3, other_day, enfance_user)
    assert asked.status == S.CANCELLATION_REQUESTED

    content = staff_client.get(queue_url(CancellationRequestQueue)).content.decode()
    assert listed(content, world.child) and not listed(content, c3) and not listed(content, c2)
    # A cancellation request is not a booking request.
    assert not listed(staff_client.get(queue_url(BookingRequestQueue)).content.decode(), c2)

    staff_client.post(queue_url(CancellationRequestQueue, "accept", asked.pk))

    assert status(asked) == S.CANCELLED
    assert status(waiting) == S.OFFERED
    assert status(kept) == S.ACCEPTED


def test_cancellation_refusals_single_and_bulk(staff_client, world, day, enfance_user):
    first = cancellation_request(
        world, world.family, world.child, world.guardian, day, enfance_user
    )
    later = world.unit.slots.filter(day__gt=day).order_by("day").first().day
    second = cancellation_request(
        world, world.family, world.child, world.guardian, later, enfance_user
    )
    staff_client.post(
        queue_url(CancellationRequestQueue, "refuse", first.pk), {"reason": "Hors délai"}
    )
    assert status(first) == S.ACCEPTED

    bulk = queue_url(CancellationRequestQueue, "bulk")
    no_reason = staff_client.post(bulk, {"requests": [second.pk], "decision": "refuse"})
    assert no_reason.context["form"].errors["reason"] == [REFUSAL_REQUIRED]
    staff_client.post(bulk, {"requests": [second.pk], "decision": "refuse", "reason": "Non"})
    assert status(second) == S.ACCEPTED
    assert world.slot(later).booked == 1

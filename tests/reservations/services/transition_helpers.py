"""What the transition tests of reservations share: booking as the portal does, the places
counter, and worlds with a waiting list or an offer."""

import datetime

from reservations.choices import HOLDS_PLACE
from reservations.choices import ReservationStatus as S
from reservations.models import Reservation, ReservationRule, Slot
from reservations.services import basket as basket_services
from reservations.services import booking

from ..conftest import NOW, PARIS, WEDNESDAY, make_world

# The unit starts at 08:30 on Wednesday 25 November 2026; NOW is Monday 23, 10:00.
DAY_START = datetime.datetime(2026, 11, 25, 8, 30, tzinfo=PARIS)


def book(world, family=None, child=None, guardian=None, *, day=WEDNESDAY, now=NOW):
    """Book one day through the basket, as the portal does; returns the reservation."""
    family = family or world.family
    child = child or world.child
    guardian = guardian or world.guardian
    added, blockers = basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=[day],
        user=guardian.user,
        now=now,
    )
    assert added == [day], blockers
    order = basket_services.basket_submit(family=family, user=guardian.user, now=now)
    return order.lines.get().reservation


def booked(world, day=WEDNESDAY) -> int:
    return Slot.objects.get(unit=world.unit, group=world.group, day=day).booked


def assert_moved(reservation, *, from_status, to_status, actor, by_staff):
    """The reservation is in `to_status` and its last event says so, with who did it."""
    reservation.refresh_from_db()
    assert reservation.status == to_status
    event = reservation.events.order_by("pk").last()
    assert (event.from_status, event.to_status) == (from_status or "", to_status)
    assert event.actor == actor
    assert event.by_staff is by_staff
    assert_counter_matches(reservation.slot)


def assert_counter_matches(slot):
    """The slot's counter equals the reservations that hold a place on it."""
    slot.refresh_from_db()
    holders = Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()
    assert slot.booked == holders


def late_rule():
    """Cancellation closes 48 h before 08:30: Monday 23 November 08:30 for the Wednesday."""
    return ReservationRule.objects.create(
        name="Annulation 48 h",
        cancellation_deadline={"kind": "hours_before", "hours": 48, "start": "08:30"},
    )


def waiting_world(**activity_fields):
    """One place, taken by the first family; a second family's child on the waiting list."""
    world = make_world(capacity=1, **activity_fields)
    holder = book(world)
    family, guardian, (child,) = world.add_family()
    waiting = book(world, family, child, guardian)
    assert waiting.status == S.WAITING
    return world, holder, (family, guardian, child, waiting)


def offered_world():
    """The holder cancelled: the waiting child is offered the place until Tuesday 10:00."""
    world, holder, (family, guardian, child, waiting) = waiting_world()
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    return world, (family, guardian, child, waiting)


# Every allowed transition and the test that drives it through its service.

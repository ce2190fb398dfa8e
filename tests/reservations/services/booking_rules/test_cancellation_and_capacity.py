"""The booking rules: late cancellation, the waiting list and offers, collective
cancellation and capacity.
"""

import datetime

import pytest

from portal_features.models import Notification
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import (
    Reservation,
)
from reservations.services import booking, closures, configuration

from ...conftest import NOW, WEDNESDAY, make_world
from .conftest import (
    HOURS_48,
    MINUTE,
    assert_counter_matches,
    book,
    paris,
    refused,
    rule,
    slot_of,
)

# --- Late cancellation, the waiting list and offers -------------------------------------


def test_late_cancellation_is_billed_until_a_waiting_child_takes_the_place(full_day):
    world, holder, [(family, guardian, first), _second] = full_day

    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    holder.refresh_from_db()
    assert (holder.late_cancellation, holder.replaced_by) == (True, None)
    assert holder.is_billable_late_cancellation
    first.refresh_from_db()
    assert first.status == S.OFFERED

    booking.offer_accept(family=family, reservation_id=first.pk, user=guardian.user, now=NOW)

    holder.refresh_from_db()
    assert holder.replaced_by == first
    assert not holder.is_billable_late_cancellation
    assert_counter_matches(slot_of(world))


def test_late_cancellation_stays_billed_when_the_offer_is_declined_and_nobody_else_waits(
    full_day,
):
    world, holder, [(family, guardian, first), (family2, guardian2, second)] = full_day
    booking.reservation_cancel(
        family=family2, reservation_id=second.pk, user=guardian2.user, now=NOW
    )
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    booking.offer_decline(family=family, reservation_id=first.pk, user=guardian.user, now=NOW)

    holder.refresh_from_db()
    assert holder.is_billable_late_cancellation
    assert slot_of(world).booked == 0


def test_an_expired_offer_goes_to_the_next_waiting_child(full_day):
    world, holder, [(family, guardian, first), (family2, _guardian2, second)] = full_day
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )
    first.refresh_from_db()
    expires = first.offer_expires_at
    assert expires == NOW + datetime.timedelta(hours=24)

    # Still valid at the instant itself, for the job and for the family.
    assert booking.offers_expire(now=expires) == 0
    with pytest.raises(ReservationError):
        booking.offer_accept(
            family=family, reservation_id=first.pk, user=guardian.user, now=expires + MINUTE
        )
    assert booking.offers_expire(now=expires + MINUTE) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.EXPIRED
    assert second.status == S.OFFERED
    # The next offer runs from the expiry, and never beyond the unit's start.
    assert second.offer_expires_at == paris(2026, 11, 25, 8, 30)
    assert Notification.objects.filter(family=family2, kind="place_offered").count() == 1
    assert slot_of(world).booked == 1
    assert_counter_matches(slot_of(world))


# --- Collective cancellation --------------------------------------------------------------------


def test_collective_cancellation_bills_nobody_tells_each_family_once_and_closes_the_day(db, staff):
    # After the cancellation deadline, so a family's own cancellation would be billed.
    world = make_world(capacity=3, rule=rule(cancellation_deadline=HOURS_48))
    early = NOW - datetime.timedelta(days=5)
    book(world, now=early)
    siblings_family, siblings_guardian, siblings = world.add_family(children=2)
    for child in siblings:
        book(world, family=siblings_family, child=child, guardian=siblings_guardian, now=early)
    waiting_family, waiting_guardian, (waiting_child,) = world.add_family()
    book(world, family=waiting_family, child=waiting_child, guardian=waiting_guardian, now=early)
    other_activity = make_world()  # same day, not cancelled
    untouched = book(other_activity)

    count = closures.day_cancel_collectively(
        day=WEDNESDAY, reason="Grève", actor=staff, activity_id=world.activity.pk, now=NOW
    )

    assert count == 4
    cancelled = Reservation.objects.filter(unit=world.unit, day=WEDNESDAY)
    assert set(cancelled.values_list("status", flat=True)) == {S.CANCELLED}
    for reservation in cancelled:
        assert reservation.cancelled_by_commune
        assert not reservation.late_cancellation
        assert not reservation.is_billable_late_cancellation
    for family in (world.family, siblings_family, waiting_family):
        assert Notification.objects.filter(family=family, kind="day_cancelled").count() == 1
    assert not Notification.objects.filter(kind="place_offered").exists()
    slot = slot_of(world)
    assert (slot.is_closed, slot.closed_reason, slot.booked) == (True, "Grève", 0)
    untouched.refresh_from_db()
    assert untouched.status == S.ACCEPTED
    # The closed day cannot be booked again.
    newcomer_family, newcomer_guardian, (newcomer,) = world.add_family()
    assert refused(
        world, WEDNESDAY, family=newcomer_family, child=newcomer, guardian=newcomer_guardian
    )


# --- Capacity -------------------------------------------------------------------------------------


def test_capacity_cannot_go_below_the_places_taken(db):
    world = make_world(capacity=2)
    book(world)
    family, guardian, (child,) = world.add_family()
    book(world, family=family, child=child, guardian=guardian)

    with pytest.raises(ReservationError):
        configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=1, now=NOW)

    assert (slot_of(world).capacity, slot_of(world).booked) == (2, 2)
    configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=2, now=NOW)


def test_raising_capacity_offers_the_new_places_in_waiting_order(full_day):
    world, _holder, [(family, _g, first), (family2, _g2, second)] = full_day
    third_family, third_guardian, (third_child,) = world.add_family()
    third = book(world, family=third_family, child=third_child, guardian=third_guardian)

    configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=3, now=NOW)

    for reservation in (first, second, third):
        reservation.refresh_from_db()
    assert (first.status, second.status, third.status) == (S.OFFERED, S.OFFERED, S.WAITING)
    assert Notification.objects.filter(kind="place_offered").count() == 2
    assert {n.family for n in Notification.objects.filter(kind="place_offered")} == {
        family,
        family2,
    }
    assert (slot_of(world).capacity, slot_of(world).booked) == (3, 3)
    assert_counter_matches(slot_of(world))

"""Reservations' state machine holds: every allowed move happens through the service that
performs it and leaves its trace (status, event, places), every forbidden move is refused
and changes nothing. The forbidden pairs are computed from `reservations.choices`."""

import datetime

import pytest

from portal_features.models import Notification
from reservations.choices import HOLDS_PLACE, TRANSITIONS
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import BasketItem, Reservation, ReservationEvent, Slot
from reservations.services import basket as basket_services
from reservations.services import booking, closures, history
from tests.transitions import Coverage, assert_covered, forbidden, pair_ids

from ..conftest import NOW, WEDNESDAY, make_world
from .transition_helpers import (
    DAY_START,
    assert_counter_matches,
    assert_moved,
    book,
    booked,
    late_rule,
    offered_world,
    waiting_world,
)

COVERED = {
    (None, S.ACCEPTED): "test_book_with_a_place_left_is_accepted_at_once",
    (None, S.REQUESTED): "test_book_on_a_staff_validated_activity_awaits_validation",
    (None, S.WAITING): "test_book_on_a_full_day_joins_the_waiting_list",
    (None, S.REFUSED): "test_book_on_a_full_day_without_waiting_list_is_refused",
    (S.REQUESTED, S.ACCEPTED): "test_staff_accept_a_request",
    (S.REQUESTED, S.REFUSED): "test_staff_refuse_a_request_and_the_place_frees",
    (S.REQUESTED, S.CANCELLED): "test_family_withdraws_a_request_and_the_place_frees",
    (S.ACCEPTED, S.CANCELLATION_REQUESTED): "test_cancel_before_deadline_staff_mode_asks_staff",
    (S.ACCEPTED, S.CANCELLED): "test_cancel_before_deadline_automatic_mode_is_free / "
    "test_cancel_after_deadline_is_late_in_both_modes",
    (S.CANCELLATION_REQUESTED, S.CANCELLED): "test_staff_accept_a_cancellation_request",
    (S.CANCELLATION_REQUESTED, S.ACCEPTED): "test_staff_refuse_a_cancellation_request",
    (S.WAITING, S.OFFERED): "test_a_freed_place_is_offered_to_the_waiting_child",
    (S.WAITING, S.CANCELLED): "test_family_leaves_the_waiting_list",
    (S.OFFERED, S.ACCEPTED): "test_family_accepts_the_offered_place",
    (S.OFFERED, S.DECLINED): "test_family_declines_the_offered_place",
    (S.OFFERED, S.EXPIRED): "test_an_offer_nobody_accepted_expires",
    (S.OFFERED, S.CANCELLED): "test_collective_cancellation_cancels_an_offered_place",
}


TRANSITION_COVERAGE = {"reservations.reservation": Coverage(COVERED)}


def test_every_allowed_reservation_transition_has_its_test():
    assert_covered(globals())


# --- Reservations: creation (basket_submit → reservation_book) -------------------------


def test_book_with_a_place_left_is_accepted_at_once(world):
    reservation = book(world)

    assert_moved(
        reservation,
        from_status=None,
        to_status=S.ACCEPTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.decided_at == NOW
    assert booked(world) == 1


def test_book_on_a_staff_validated_activity_awaits_validation(db):
    world = make_world(booking_validation="staff")

    reservation = book(world)

    assert_moved(
        reservation,
        from_status=None,
        to_status=S.REQUESTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.decided_at is None
    assert booked(world) == 1  # a request holds its place until staff decide


def test_book_on_a_full_day_joins_the_waiting_list(db):
    world = make_world(capacity=1)
    book(world)
    family, guardian, (child,) = world.add_family()

    reservation = book(world, family, child, guardian)

    assert_moved(
        reservation, from_status=None, to_status=S.WAITING, actor=guardian.user, by_staff=False
    )
    assert reservation.requested_at == NOW
    assert booked(world) == 1


def test_book_on_a_full_day_without_waiting_list_is_refused(db):
    world = make_world(capacity=1, waiting_list=False)
    book(world)
    family, guardian, (child,) = world.add_family()

    reservation = book(world, family, child, guardian)

    assert_moved(
        reservation, from_status=None, to_status=S.REFUSED, actor=guardian.user, by_staff=False
    )
    assert reservation.refusal_reason
    line = reservation.order_lines.get()
    assert line.outcome == S.REFUSED
    assert line.order.total == 0  # a refused day is not charged
    assert booked(world) == 1


# --- Reservations: staff decisions on requests --------------------------------------------


@pytest.fixture
def requested(db):
    world = make_world(booking_validation="staff")
    reservation = book(world)
    assert reservation.status == S.REQUESTED
    return world, reservation


def test_staff_accept_a_request(requested, staff):
    world, reservation = requested

    booking.reservation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    assert_moved(
        reservation, from_status=S.REQUESTED, to_status=S.ACCEPTED, actor=staff, by_staff=True
    )
    assert reservation.decided_by == staff
    assert booked(world) == 1


def test_staff_refuse_a_request_and_the_place_frees(requested, staff):
    world, reservation = requested

    booking.reservation_refuse(
        reservation_id=reservation.pk, actor=staff, reason="Groupe complet ce jour-là", now=NOW
    )

    assert_moved(
        reservation, from_status=S.REQUESTED, to_status=S.REFUSED, actor=staff, by_staff=True
    )
    assert reservation.refusal_reason == "Groupe complet ce jour-là"
    assert booked(world) == 0


def test_family_withdraws_a_request_and_the_place_frees(requested):
    world, reservation = requested

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.REQUESTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is False
    assert booked(world) == 0


# --- Reservations: cancelling a validated day ---------------------------------------------


def test_cancel_before_deadline_automatic_mode_is_free(world):
    reservation = book(world)

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is False
    assert not reservation.is_billable_late_cancellation
    assert booked(world) == 0


def test_cancel_before_deadline_staff_mode_asks_staff(db):
    world = make_world(cancellation_validation="staff")
    reservation = book(world)

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLATION_REQUESTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert booked(world) == 1  # the place is held until staff accept the cancellation


@pytest.mark.parametrize("mode", ["automatic", "staff"])
def test_cancel_after_deadline_is_late_in_both_modes(db, mode):
    world = make_world(cancellation_validation=mode, rule=late_rule())
    reservation = book(world, now=NOW - datetime.timedelta(days=3))

    # NOW (Monday 10:00) is after the deadline (Monday 08:30): no request to staff, the
    # day is cancelled at once and billed unless a waiting child takes the place.
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is True
    assert reservation.is_billable_late_cancellation
    assert booked(world) == 0


@pytest.fixture
def cancellation_requested(db):
    world = make_world(cancellation_validation="staff")
    reservation = book(world)
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )
    reservation.refresh_from_db()
    assert reservation.status == S.CANCELLATION_REQUESTED
    return world, reservation


def test_staff_accept_a_cancellation_request(cancellation_requested, staff):
    world, reservation = cancellation_requested

    booking.cancellation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    assert_moved(
        reservation,
        from_status=S.CANCELLATION_REQUESTED,
        to_status=S.CANCELLED,
        actor=staff,
        by_staff=True,
    )
    assert reservation.late_cancellation is False
    assert booked(world) == 0


def test_staff_refuse_a_cancellation_request(cancellation_requested, staff):
    world, reservation = cancellation_requested

    booking.cancellation_refuse(
        reservation_id=reservation.pk, actor=staff, reason="Sortie déjà payée", now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.CANCELLATION_REQUESTED,
        to_status=S.ACCEPTED,
        actor=staff,
        by_staff=True,
    )
    assert reservation.refusal_reason == "Sortie déjà payée"
    assert booked(world) == 1


def test_family_cannot_cancel_again_while_staff_review_the_request(cancellation_requested):
    world, reservation = cancellation_requested
    basket_services.basket_add_cancellation(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    # Neither a second request nor a cancelled day whose place stays taken for ever.
    with pytest.raises(ReservationError):
        basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)

    reservation.refresh_from_db()
    assert reservation.status == S.CANCELLATION_REQUESTED
    assert reservation.events.count() == 2
    assert BasketItem.objects.filter(family=world.family).count() == 1
    assert_counter_matches(world.slot())
    assert booked(world) == 1


# --- Reservations: the waiting list and offers -----------------------------------------


def test_a_freed_place_is_offered_to_the_waiting_child(db):
    world, holder, (family, _guardian, _child, waiting) = waiting_world()

    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(waiting, from_status=S.WAITING, to_status=S.OFFERED, actor=None, by_staff=False)
    # 24 h to accept (offer_hours), and never after the unit starts.
    assert waiting.offer_expires_at == NOW + datetime.timedelta(hours=24)
    assert waiting.offer_expires_at < DAY_START
    assert Notification.objects.filter(family=family, kind="place_offered").count() == 1
    assert booked(world) == 1  # the freed place is held for the offer


def test_family_leaves_the_waiting_list(db):
    world, _holder, (family, guardian, _child, waiting) = waiting_world()

    booking.reservation_cancel(
        family=family, reservation_id=waiting.pk, user=guardian.user, now=NOW
    )

    assert_moved(
        waiting,
        from_status=S.WAITING,
        to_status=S.CANCELLED,
        actor=guardian.user,
        by_staff=False,
    )
    assert booked(world) == 1  # a waiting entry held no place


def test_family_accepts_the_offered_place(db):
    world, (family, guardian, _child, offered) = offered_world()

    booking.offer_accept(family=family, reservation_id=offered.pk, user=guardian.user, now=NOW)

    assert_moved(
        offered, from_status=S.OFFERED, to_status=S.ACCEPTED, actor=guardian.user, by_staff=False
    )
    assert booked(world) == 1


def test_family_declines_the_offered_place(db):
    world, (family, guardian, _child, offered) = offered_world()

    booking.offer_decline(family=family, reservation_id=offered.pk, user=guardian.user, now=NOW)

    assert_moved(
        offered, from_status=S.OFFERED, to_status=S.DECLINED, actor=guardian.user, by_staff=False
    )
    assert booked(world) == 0


def test_an_offer_nobody_accepted_expires(db):
    world, (_family, _guardian, _child, offered) = offered_world()

    assert booking.offers_expire(now=offered.offer_expires_at + datetime.timedelta(minutes=1)) == 1

    assert_moved(offered, from_status=S.OFFERED, to_status=S.EXPIRED, actor=None, by_staff=False)
    assert booked(world) == 0


def test_collective_cancellation_cancels_an_offered_place(db, staff):
    world, (_family, _guardian, _child, offered) = offered_world()

    closures.day_cancel_collectively(
        day=WEDNESDAY, reason="Grève", actor=staff, activity_id=world.activity.pk, now=NOW
    )

    assert_moved(offered, from_status=S.OFFERED, to_status=S.CANCELLED, actor=staff, by_staff=True)
    assert offered.cancelled_by_commune is True
    assert booked(world) == 0


# --- Reservations: every forbidden move is refused ---------------------------------------


# Creating a reservation in a status the table refuses at creation is tried too.
FORBIDDEN = sorted(
    forbidden("reservations.reservation")
    + [(None, dst) for dst in S.values if dst not in TRANSITIONS[None]],
    key=lambda pair: (pair[0] or "", pair[1]),
)


def test_the_forbidden_pairs_cover_every_final_status():
    # Nothing leaves a final status, and nothing goes back to "requested" or "waiting".
    for final in (S.CANCELLED, S.REFUSED, S.DECLINED, S.EXPIRED):
        assert {dst for src, dst in FORBIDDEN if src == final} == set(S.values)
    assert {src for src, dst in COVERED if dst in (S.REQUESTED, S.WAITING)} == {None}


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    FORBIDDEN,
    ids=pair_ids(FORBIDDEN),
)
def test_forbidden_reservation_transition_is_refused(world, staff, from_status, to_status):
    slot = world.slot()
    holds_place = from_status in HOLDS_PLACE
    if from_status is None:
        reservation = Reservation(
            family=world.family, child=world.child, unit=world.unit, slot=slot, day=slot.day
        )
    else:
        reservation = Reservation.objects.create(
            family=world.family,
            child=world.child,
            unit=world.unit,
            slot=slot,
            day=slot.day,
            status=from_status,
            offer_expires_at=DAY_START if from_status == S.OFFERED else None,
        )
        Slot.objects.filter(pk=slot.pk).update(booked=int(holds_place))

    with pytest.raises(ReservationError):
        history.reservation_transition(
            reservation=reservation, to_status=to_status, actor=staff, by_staff=True, now=NOW
        )

    assert reservation.status == (from_status or "")
    assert not ReservationEvent.objects.exists()
    assert booked(world) == int(holds_place)
    if from_status is None:
        assert reservation.pk is None
        assert not Reservation.objects.exists()
    else:
        reservation.refresh_from_db()
        assert reservation.status == from_status

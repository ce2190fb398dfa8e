"""The booking rules, whatever the browser sends: another family's ids, and which days can
be booked (past days, closures, registrations, exclusive units, the booking window).
"""

import datetime

import pytest

from portal_features.models import Child
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import (
    Absence,
    BasketItem,
    Closure,
    Registration,
    Reservation,
    Slot,
)
from reservations.services import absences, booking, configuration
from reservations.services import basket as basket_services
from tests import factories

from ...conftest import NOW, WEDNESDAY, make_world
from .conftest import (
    MINUTE,
    WEEKDAYS,
    add,
    book,
    paris,
    refused,
    slot_of,
    submit,
)

# --- Isolation: another family's ids ---------------------------------------------------


@pytest.fixture
def other(world):
    """A second family of the same activity, with a validated day on WEDNESDAY."""
    family, guardian, (child,) = world.add_family()
    reservation = book(world, family=family, child=child, guardian=guardian)
    return family, guardian, child, reservation


def test_another_familys_child_cannot_be_put_in_the_basket(world, other):
    _family, _guardian, child, _reservation = other

    with pytest.raises(Child.DoesNotExist):
        add(world, [WEDNESDAY + datetime.timedelta(days=7)], child=child)
    with pytest.raises(Child.DoesNotExist):
        basket_services.basket_add_periodic(
            family=world.family,
            child_ids=[world.child.pk, child.pk],
            unit_ids=[world.unit.pk],
            start=WEDNESDAY,
            end=WEDNESDAY + datetime.timedelta(days=30),
            weekdays=[2],
            parity="every",
            user=world.guardian.user,
            now=NOW,
        )

    assert not BasketItem.objects.exists()


def test_another_familys_reservation_cannot_be_touched(world, other):
    _family, _guardian, _child, reservation = other
    user = world.guardian.user

    with pytest.raises(Reservation.DoesNotExist):
        basket_services.basket_add_cancellation(
            family=world.family, reservation_id=reservation.pk, user=user, now=NOW
        )
    with pytest.raises(Reservation.DoesNotExist):
        booking.reservation_cancel(
            family=world.family, reservation_id=reservation.pk, user=user, now=NOW
        )
    with pytest.raises(Reservation.DoesNotExist):
        booking.offer_accept(family=world.family, reservation_id=reservation.pk, user=user)
    with pytest.raises(Reservation.DoesNotExist):
        absences.absence_declare(
            family=world.family,
            reservation_id=reservation.pk,
            user=user,
            reason=Absence.Reason.ILLNESS,
            now=paris(2026, 11, 25, 9, 0),
        )

    reservation.refresh_from_db()
    assert reservation.status == S.ACCEPTED
    assert not BasketItem.objects.exists()
    assert not Absence.objects.exists()


# --- Which days can be booked ----------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [datetime.date(2026, 11, 18), datetime.date(2026, 11, 23)],
    ids=["last-monday-past", "today"],
)
def test_a_past_day_or_today_cannot_be_booked(db, day):
    world = make_world(weekdays=[0, 2])
    assert slot_of(world, day)  # the day is open, only past

    assert refused(world, day)


def test_a_closed_slot_cannot_be_booked(world):
    Slot.objects.filter(pk=slot_of(world).pk).update(is_closed=True, closed_reason="Travaux")

    assert refused(world, WEDNESDAY)


def test_a_public_holiday_or_a_closure_opens_no_day(db):
    Closure.objects.create(
        start_date=datetime.date(2026, 12, 1), end_date=datetime.date(2026, 12, 2), reason="Audit"
    )
    world = make_world(weekdays=WEEKDAYS)
    easter_monday = datetime.date(2027, 3, 29)

    for day in (easter_monday, datetime.date(2026, 12, 1), datetime.date(2026, 12, 2)):
        assert not Slot.objects.filter(unit=world.unit, day=day).exists()
        assert refused(world, day)
    assert add(world, [datetime.date(2026, 12, 3)]) == ([datetime.date(2026, 12, 3)], {})


def test_a_unit_of_an_activity_the_child_is_not_registered_to_is_refused(world):
    elsewhere = make_world()  # another activity; world.child is not registered to it

    reason = refused(world, WEDNESDAY, unit=elsewhere.unit)

    assert world.child.first_name in reason
    assert str(elsewhere.activity) in reason


@pytest.mark.parametrize("status", ["pending", "refused", "cancelled"])
def test_a_registration_not_validated_allows_no_booking(world, status):
    Registration.objects.filter(child=world.child).update(status=status)

    reason = refused(world, WEDNESDAY)

    assert world.child.first_name in reason


def test_a_registration_withdrawn_after_the_day_went_in_the_basket_blocks_submit(world):
    add(world, [WEDNESDAY])
    Registration.objects.filter(child=world.child).update(status="cancelled")

    with pytest.raises(ReservationError) as refusal:
        submit(world)

    assert len(refusal.value.reasons) == 1
    assert not Reservation.objects.exists()
    assert BasketItem.objects.count() == 1


@pytest.fixture
def exclusive(world):
    """A morning unit that cannot be booked on a day the full day is booked."""
    morning = factories.UnitFactory(
        activity=world.activity,
        name="Matin",
        start_time=datetime.time(8, 30),
        end_time=datetime.time(12, 0),
    )
    morning.excludes.add(world.unit)
    configuration.activity_slots_generate(activity_id=world.activity.pk)
    return morning


def test_units_that_exclude_each_other_cannot_both_be_booked(world, exclusive):
    book(world)

    assert refused(world, WEDNESDAY, unit=exclusive)
    # Another day is fine.
    next_week = WEDNESDAY + datetime.timedelta(days=7)
    assert add(world, [next_week], unit=exclusive) == ([next_week], {})


def test_units_that_exclude_each_other_cannot_both_be_in_the_basket(world, exclusive):
    add(world, [WEDNESDAY], unit=exclusive)

    _added, blockers = add(world, [WEDNESDAY])

    assert WEDNESDAY in blockers
    assert list(BasketItem.objects.values_list("unit", flat=True)) == [exclusive.pk]


def test_booking_before_the_window_opens_is_refused_and_allowed_at_the_opening(db):
    opens = paris(2026, 11, 24, 18, 0)
    world = make_world(booking_opens_at=opens)

    assert refused(world, WEDNESDAY, now=opens - MINUTE)
    assert add(world, [WEDNESDAY], now=opens) == ([WEDNESDAY], {})


def test_booking_after_the_window_closed_is_refused(db):
    closes = paris(2026, 11, 20, 12, 0)
    world = make_world(booking_closes_at=closes)

    assert refused(world, WEDNESDAY)
    assert add(world, [WEDNESDAY], now=closes) == ([WEDNESDAY], {})

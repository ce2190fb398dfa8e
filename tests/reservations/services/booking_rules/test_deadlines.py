"""The booking rules: booking and cancellation deadlines, re-checked at submit time and
counted in real hours across the clock change.
"""

import datetime

import pytest

from reservations.choices import ReservationStatus as S
from reservations.eligibility import local_datetime
from reservations.errors import ReservationError
from reservations.models import (
    BasketItem,
    Order,
    Reservation,
)
from reservations.services import booking

from ...conftest import WEDNESDAY, make_world
from .conftest import (
    HOURS_48,
    MINUTE,
    WEEKDAYS,
    add,
    book,
    paris,
    refused,
    rule,
    slot_of,
    submit,
)

# --- Deadlines, re-checked at submit time --------------------------------------------------------


def test_a_deadline_passed_between_adding_and_submitting_saves_nothing(db):
    # Two working days before at 23:59: Wednesday 25 → Monday 23 at 23:59.
    world = make_world(
        rule=rule(booking_deadline={"kind": "working_days_before", "days": 2, "at": "23:59"})
    )
    next_week = WEDNESDAY + datetime.timedelta(days=7)
    assert add(world, [WEDNESDAY, next_week]) == ([WEDNESDAY, next_week], {})

    with pytest.raises(ReservationError) as refusal:
        submit(world, now=paris(2026, 11, 24, 0, 0))

    # Only the 25th is late, yet nothing at all is saved; the basket is kept.
    assert len(refusal.value.reasons) == 1
    assert "25/11/2026" in refusal.value.reasons[0]
    assert not Reservation.objects.exists()
    assert not Order.objects.exists()
    assert slot_of(world).booked == slot_of(world, next_week).booked == 0
    assert set(BasketItem.objects.values_list("day", flat=True)) == {WEDNESDAY, next_week}


WORKING_DAYS_2 = {"kind": "working_days_before", "days": 2, "at": "23:59"}
BEFORE_THE_20TH = {"kind": "day_of_previous_month", "day_of_month": 20, "at": "23:59"}
TUESDAY_BEFORE = {"kind": "weekday_of_previous_week", "weekday": 1, "at": "12:00"}


@pytest.mark.parametrize(
    ("deadline_rule", "day", "deadline"),
    [
        # Thursday 12 counts, Armistice day (Wednesday 11) does not: Tuesday 10.
        (WORKING_DAYS_2, datetime.date(2026, 11, 13), paris(2026, 11, 10, 23, 59)),
        # Across the month end: Monday 30 November, then Friday 27.
        (WORKING_DAYS_2, datetime.date(2026, 12, 1), paris(2026, 11, 27, 23, 59)),
        # New Year's Day (Friday) skipped, across the month and year end: Wednesday 30.
        (WORKING_DAYS_2, datetime.date(2027, 1, 4), paris(2026, 12, 30, 23, 59)),
        # Easter Monday 2027 skipped: Tuesday 30 March, then Friday 26.
        (WORKING_DAYS_2, datetime.date(2027, 3, 31), paris(2027, 3, 26, 23, 59)),
        (BEFORE_THE_20TH, datetime.date(2027, 3, 3), paris(2027, 2, 20, 23, 59)),
        (BEFORE_THE_20TH, datetime.date(2027, 1, 6), paris(2026, 12, 20, 23, 59)),
        (TUESDAY_BEFORE, datetime.date(2026, 12, 9), paris(2026, 12, 1, 12, 0)),
        (TUESDAY_BEFORE, datetime.date(2026, 12, 7), paris(2026, 12, 1, 12, 0)),
    ],
    ids=[
        "2-working-days-armistice",
        "2-working-days-month-end",
        "2-working-days-new-year",
        "2-working-days-easter-monday",
        "20th-of-previous-month",
        "20th-of-previous-month-year-end",
        "tuesday-of-week-before-wednesday",
        "tuesday-of-week-before-monday",
    ],
)
def test_booking_deadline_accepts_at_the_instant_and_refuses_a_minute_later(
    db, deadline_rule, day, deadline
):
    world = make_world(weekdays=WEEKDAYS, rule=rule(booking_deadline=deadline_rule))
    late_family, late_guardian, (late_child,) = world.add_family()

    reservation = book(world, day, now=deadline)
    reason = refused(
        world,
        day,
        family=late_family,
        child=late_child,
        guardian=late_guardian,
        now=deadline + MINUTE,
    )

    assert reservation.status == S.ACCEPTED
    assert local_datetime(deadline) in reason  # the family reads when it closed


def test_48_hours_cancellation_counts_real_hours_across_the_october_2026_clock_change(db):
    # Monday 26 October 2026, 08:30 CET; the clocks went back on Sunday 25 at 03:00. 48 real
    # hours earlier is Saturday 24 at 09:30 CEST, not 08:30.
    world = make_world(weekdays=[0], rule=rule(cancellation_deadline=HOURS_48))
    day = datetime.date(2026, 10, 26)
    deadline = paris(2026, 10, 24, 9, 30)
    assert deadline.utcoffset() == datetime.timedelta(hours=2)
    assert paris(2026, 10, 26, 8, 30).utcoffset() == datetime.timedelta(hours=1)
    on_time = book(world, day, now=paris(2026, 10, 19, 9, 0))
    family, guardian, (child,) = world.add_family()
    late = book(world, day, family=family, child=child, guardian=guardian, now=on_time.decided_at)

    booking.reservation_cancel(
        family=world.family, reservation_id=on_time.pk, user=world.guardian.user, now=deadline
    )
    booking.reservation_cancel(
        family=family, reservation_id=late.pk, user=guardian.user, now=deadline + MINUTE
    )

    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.status, on_time.late_cancellation) == (S.CANCELLED, False)
    assert (late.status, late.late_cancellation) == (S.CANCELLED, True)
    assert late.is_billable_late_cancellation

"""The booking core end to end through the services: basket → order → places → waiting
list → cancellation → promotion → offer accepted."""

import datetime

import pytest

from portal_features.models import Notification
from reservations.choices import ReservationStatus as S
from reservations.models import Reservation
from reservations.services import basket as basket_services
from reservations.services import booking

from ..conftest import NOW, WEDNESDAY


def submit(world, family, child, guardian, days=(WEDNESDAY,), now=NOW):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=days,
        user=guardian.user,
        now=now,
    )
    return basket_services.basket_submit(family=family, user=guardian.user, now=now)


def test_slots_generated_on_wednesdays_except_holidays(world):
    slots = world.unit.slots.all()
    assert slots.count() > 30
    assert {slot.day.weekday() for slot in slots} == {2}
    # 11 November 2026 is a Wednesday and a public holiday.
    assert not slots.filter(day=datetime.date(2026, 11, 11)).exists()


def test_places_then_waiting_list_then_promotion(world):
    order = submit(world, world.family, world.child, world.guardian)
    assert order.lines.get().outcome == S.ACCEPTED
    f2, g2, (c2,) = world.add_family()
    f3, g3, (c3,) = world.add_family()
    submit(world, f2, c2, g2)
    submit(world, f3, c3, g3)
    slot = world.slot()
    assert (slot.booked, slot.capacity) == (2, 2)
    waiting = Reservation.objects.get(child=c3)
    assert waiting.status == S.WAITING

    first = Reservation.objects.get(child=world.child)
    booking.reservation_cancel(
        family=world.family, reservation_id=first.pk, user=world.guardian.user, now=NOW
    )
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    assert world.slot().booked == 2
    assert Notification.objects.filter(family=f3, kind="place_offered").count() == 1

    booking.offer_accept(family=f3, reservation_id=waiting.pk, user=g3.user, now=NOW)
    waiting.refresh_from_db()
    assert waiting.status == S.ACCEPTED
    assert [e.to_status for e in waiting.events.all()] == [S.WAITING, S.OFFERED, S.ACCEPTED]


def test_submitting_twice_the_same_day_is_refused(world):
    submit(world, world.family, world.child, world.guardian)
    _added, blockers = basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=world.guardian.user,
        now=NOW,
    )
    assert WEDNESDAY in blockers


@pytest.mark.parametrize("day", [datetime.date(2026, 11, 18), datetime.date(2026, 11, 26)])
def test_past_or_closed_days_are_refused(world, day):
    added, blockers = basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[day],
        user=world.guardian.user,
        now=NOW,
    )
    assert added == [] and day in blockers


def test_month_calendar_states(world):
    from reservations.selectors.calendar import CellState, month_calendar

    submit(world, world.family, world.child, world.guardian)
    basket_services.basket_add_bookings(
        family=world.family,
        child_id=world.child.pk,
        unit_id=world.unit.pk,
        days=[datetime.date(2026, 12, 2)],
        user=world.guardian.user,
        now=NOW,
    )
    grid = month_calendar(family=world.family, month=datetime.date(2026, 11, 1), now=NOW)
    (row,) = grid.rows
    states = {cell.day: cell.state for cell in row.cells}
    assert states[WEDNESDAY] == CellState.ACCEPTED
    assert states[datetime.date(2026, 11, 18)] == CellState.OUT_OF_TIME
    assert states[datetime.date(2026, 11, 11)] == CellState.CLOSED
    assert states[datetime.date(2026, 11, 24)] == CellState.CLOSED
    december = month_calendar(family=world.family, month=datetime.date(2026, 12, 1), now=NOW)
    cells = {cell.day: cell for cell in december.rows[0].cells}
    assert cells[datetime.date(2026, 12, 2)].state == CellState.IN_BASKET
    assert cells[datetime.date(2026, 12, 9)].state == CellState.AVAILABLE
    assert cells[datetime.date(2026, 12, 9)].places_left == 2

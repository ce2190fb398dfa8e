"""The booking rules, driven through the services: helpers that add to the basket, submit,
book and read the refusal, and a full day with a waiting list.

Times are Europe/Paris. NOW is Monday 23 November 2026 10:00; WEDNESDAY is the 25th.
"""

import datetime

import pytest

from reservations.choices import HOLDS_PLACE
from reservations.choices import ReservationStatus as S
from reservations.models import (
    BasketItem,
    Reservation,
    ReservationRule,
    Slot,
)
from reservations.services import basket as basket_services
from tests import factories

from ...conftest import NOW, PARIS, WEDNESDAY, make_world

MINUTE = datetime.timedelta(minutes=1)
WEEKDAYS = [0, 1, 2, 3, 4]


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True)


def add(world, days, *, family=None, child=None, guardian=None, unit=None, now=NOW):
    """Put days in the basket; returns (added days, {day: reason})."""
    return basket_services.basket_add_bookings(
        family=family or world.family,
        child_id=(child or world.child).pk,
        unit_id=(unit or world.unit).pk,
        days=days,
        user=(guardian or world.guardian).user,
        now=now,
    )


def submit(world, *, family=None, guardian=None, now=NOW):
    return basket_services.basket_submit(
        family=family or world.family, user=(guardian or world.guardian).user, now=now
    )


def book(world, day=WEDNESDAY, *, family=None, child=None, guardian=None, now=NOW):
    """Book one day through the basket; returns the reservation."""
    added, blockers = add(world, [day], family=family, child=child, guardian=guardian, now=now)
    assert added == [day], blockers
    order = submit(world, family=family, guardian=guardian, now=now)
    return order.lines.get().reservation


def refused(world, day, **kwargs) -> str:
    """Adding the day is refused: returns the reason, and nothing went in the basket."""
    added, blockers = add(world, [day], **kwargs)
    assert added == []
    assert not BasketItem.objects.filter(day=day).exists()
    return blockers[day]


def slot_of(world, day=WEDNESDAY) -> Slot:
    return Slot.objects.get(unit=world.unit, group=world.group, day=day)


def assert_counter_matches(slot):
    slot.refresh_from_db()
    assert slot.booked == Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()


def rule(**fields) -> ReservationRule:
    return ReservationRule.objects.create(name=f"Règle {ReservationRule.objects.count()}", **fields)


HOURS_48 = {"kind": "hours_before", "hours": 48, "start": "08:30"}


@pytest.fixture
def full_day(db):
    """One place on WEDNESDAY, cancellable until Monday 08:30: taken by the world's child,
    two children waiting, the first asked first."""
    world = make_world(capacity=1, rule=rule(cancellation_deadline=HOURS_48))
    holder = book(world, now=NOW - datetime.timedelta(days=5))
    waiting = []
    for minutes in (1, 2):
        family, guardian, (child,) = world.add_family()
        reservation = book(
            world,
            family=family,
            child=child,
            guardian=guardian,
            now=NOW - datetime.timedelta(days=4) + datetime.timedelta(minutes=minutes),
        )
        assert reservation.status == S.WAITING
        waiting.append((family, guardian, reservation))
    return world, holder, waiting

"""What staff do to a family's days is written on the family's file: attendance marks (one
line per family and mark, only for days whose mark changes), children who came unbooked,
and days the commune cancels."""

import datetime

from portal_features.models import FamilyEvent
from reservations.choices import Attendance
from reservations.choices import ReservationStatus as S
from reservations.models import Reservation
from reservations.services import attendance, closures

from ...conftest import NOW, WEDNESDAY, make_world
from .conftest import book, slot_of


def events(family):
    return list(FamilyEvent.objects.filter(family=family).order_by("pk"))


def test_an_attendance_mark_is_recorded_once_per_family_naming_its_days(db, staff):
    world = make_world(capacity=5)
    first = book(world)
    siblings_family, guardian, siblings = world.add_family(children=2)
    theirs = [
        book(world, family=siblings_family, child=child, guardian=guardian) for child in siblings
    ]
    FamilyEvent.objects.all().delete()

    marked = attendance.attendance_mark(
        reservation_ids=[first.pk] + [r.pk for r in theirs],
        attendance=Attendance.ABSENT,
        actor=staff,
        now=NOW,
    )

    assert marked == 3
    (mine,) = events(world.family)
    assert (mine.actor, mine.action) == (staff, FamilyEvent.Action.CHANGED)
    assert mine.data == {"reservations": [first.pk]}
    assert world.child.first_name in mine.description
    assert "25/11/2026" in mine.description
    (siblings_event,) = events(siblings_family)
    assert sorted(siblings_event.data["reservations"]) == sorted(r.pk for r in theirs)
    assert all(child.first_name in siblings_event.description for child in siblings)

    # The same mark again changes nothing and records nothing.
    attendance.attendance_mark(
        reservation_ids=[first.pk], attendance=Attendance.ABSENT, actor=staff, now=NOW
    )
    assert len(events(world.family)) == 1
    # Another mark is a new line.
    attendance.attendance_mark(
        reservation_ids=[first.pk], attendance=Attendance.PRESENT, actor=staff, now=NOW
    )
    assert len(events(world.family)) == 2


def test_a_child_who_came_unbooked_is_recorded_on_the_paying_family(db, staff):
    world = make_world(capacity=5)
    FamilyEvent.objects.all().delete()
    day = WEDNESDAY + datetime.timedelta(days=7)

    reservation = attendance.attendance_walk_in(
        child_id=world.child.pk, slot_id=slot_of(world, day).pk, actor=staff, now=NOW
    )

    (event,) = events(world.family)
    assert (event.actor, event.action) == (staff, FamilyEvent.Action.CREATED)
    assert event.data == {"reservations": [reservation.pk]}
    assert "02/12/2026" in event.description


def test_a_day_cancelled_by_the_commune_is_recorded_on_each_family_with_the_reason(db, staff):
    world = make_world(capacity=5)
    first = book(world)
    other_family, guardian, (other_child,) = world.add_family()
    other = book(world, family=other_family, child=other_child, guardian=guardian)
    FamilyEvent.objects.all().delete()

    closures.day_cancel_collectively(
        day=WEDNESDAY, reason="Grève", actor=staff, activity_id=world.activity.pk, now=NOW
    )

    assert set(Reservation.objects.values_list("status", flat=True)) == {S.CANCELLED}
    for family, reservation in ((world.family, first), (other_family, other)):
        (event,) = events(family)
        assert event.actor == staff
        assert event.data == {"reservations": [reservation.pk]}
        assert "Grève" in event.description
        assert reservation.child.first_name in event.description

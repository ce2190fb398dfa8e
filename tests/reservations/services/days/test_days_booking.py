"""« Réserver ces jours »: the ticked days booked in one request, with every rule of the
basket checked on the server and a number of statements that does not grow with the days
or the children."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal_features.models import Child, Notification
from reservations.choices import HOLDS_PLACE
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import BasketItem, Order, Reservation, ReservationEvent, Slot, Unit
from reservations.services import configuration
from reservations.services.basket import basket_submit
from reservations.services.days import days_book
from tests import factories

from ...conftest import NOW, WEDNESDAY, make_world
from ..booking_rules.conftest import add, book, paris, rule


def open_days(world, count):
    return list(
        Slot.objects.filter(unit=world.unit, group=world.group, day__gte=WEDNESDAY, is_closed=False)
        .order_by("day")
        .values_list("day", flat=True)[:count]
    )


def book_days(world, picks, *, family=None, guardian=None, now=NOW):
    return days_book(
        family=family or world.family,
        user=(guardian or world.guardian).user,
        picks=picks,
        now=now,
    )


def picks_of(children, unit, days):
    return [(child.pk, unit.pk, day) for child in children for day in days]


def statements(world, family, guardian, picks) -> int:
    """The statements of one booking; the year's order counter exists already (its first
    number creates the row: two statements more, once a year)."""
    if not Order.objects.exists():
        book_days(world, [(world.child.pk, world.unit.pk, open_days(world, 30)[-1])])
    with CaptureQueriesContext(connection) as captured:
        book_days(world, picks, family=family, guardian=guardian)
    return len(captured)


def test_ticked_days_become_one_order_with_places_history_and_one_alert(db):
    world = make_world(capacity=3)
    days = open_days(world, 3)

    order = book_days(world, picks_of([world.child], world.unit, days))

    assert order.number == "2026-00001"
    lines = list(order.lines.select_related("reservation"))
    assert [line.outcome for line in lines] == [S.ACCEPTED] * 3
    assert sorted(line.reservation.day for line in lines) == days
    for day in days:
        slot = Slot.objects.get(unit=world.unit, group=world.group, day=day)
        assert (
            slot.booked
            == 1
            == Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()
        )
    assert ReservationEvent.objects.filter(to_status=S.ACCEPTED, from_status="").count() == 3
    assert Notification.objects.filter(family=world.family).count() == 1


def test_the_statements_do_not_grow_with_the_days(db):
    world = make_world(capacity=5)
    family_one, guardian_one, (child_one,) = world.add_family()
    family_many, guardian_many, (child_many,) = world.add_family()
    days = open_days(world, 20)
    assert len(days) == 20

    one = statements(world, family_one, guardian_one, picks_of([child_one], world.unit, days[:1]))
    many = statements(world, family_many, guardian_many, picks_of([child_many], world.unit, days))

    assert one == many
    assert Reservation.objects.filter(child=child_many, status=S.ACCEPTED).count() == 20


def test_the_statements_do_not_grow_with_the_children(db):
    world = make_world(capacity=10)
    family_one, guardian_one, (child_one,) = world.add_family()
    family_four, guardian_four, children = world.add_family(children=4)
    days = open_days(world, 2)

    one = statements(world, family_one, guardian_one, picks_of([child_one], world.unit, days))
    four = statements(world, family_four, guardian_four, picks_of(children, world.unit, days))

    assert one == four
    assert Reservation.objects.filter(family=family_four, status=S.ACCEPTED).count() == 8


def test_the_basket_submits_the_same_days_in_no_more_statements(db):
    """The basket books through the same batch: its submit reads its lines instead of the
    children and units, and costs no more than the calendar's booking."""
    world = make_world(capacity=5)
    family_a, guardian_a, (child_a,) = world.add_family()
    family_b, guardian_b, (child_b,) = world.add_family()
    days = open_days(world, 5)
    batched = statements(world, family_b, guardian_b, picks_of([child_b], world.unit, days))
    add(world, days, family=family_a, child=child_a, guardian=guardian_a)

    with CaptureQueriesContext(connection) as basket:
        basket_submit(family=family_a, user=guardian_a.user, now=NOW)

    assert len(basket) <= batched


def test_a_day_past_its_deadline_saves_nothing_and_says_why_in_french(db):
    # Two working days before at 23:59: Wednesday 25 → Monday 23 at 23:59.
    world = make_world(
        rule=rule(booking_deadline={"kind": "working_days_before", "days": 2, "at": "23:59"})
    )
    next_week = WEDNESDAY + datetime.timedelta(days=7)

    with translation.override("fr"), pytest.raises(ReservationError) as refusal:
        book_days(
            world,
            picks_of([world.child], world.unit, [WEDNESDAY, next_week]),
            now=paris(2026, 11, 24, 0, 0),
        )
    message, reasons = str(refusal.value.message), list(map(str, refusal.value.reasons))

    assert message == "Certains jours ne peuvent pas être réservés."
    assert len(reasons) == 1
    assert "25/11/2026" in reasons[0]
    assert "Le délai de réservation a expiré le" in reasons[0]
    assert not Reservation.objects.exists()
    assert not Order.objects.exists()
    assert Slot.objects.filter(booked__gt=0).count() == 0


def test_a_full_slot_puts_the_child_on_the_waiting_list(db):
    world = make_world(capacity=1, waiting_list=True)
    book(world)  # the only place
    family, guardian, (child,) = world.add_family()
    next_week = WEDNESDAY + datetime.timedelta(days=7)

    order = book_days(
        world,
        picks_of([child], world.unit, [WEDNESDAY, next_week]),
        family=family,
        guardian=guardian,
    )

    outcomes = {
        line.reservation.day: line.outcome for line in order.lines.select_related("reservation")
    }
    assert outcomes == {WEDNESDAY: S.WAITING, next_week: S.ACCEPTED}
    assert Slot.objects.get(unit=world.unit, day=WEDNESDAY).booked == 1
    # The order charges only the day with a place.
    assert order.total == Reservation.objects.get(child=child, day=next_week).unit_price


def test_two_children_for_the_last_place_one_gets_it_the_other_is_refused_without_list(db):
    world = make_world(capacity=1, waiting_list=False)
    family, guardian, children = world.add_family(children=2)

    with translation.override("fr"):
        order = book_days(
            world, picks_of(children, world.unit, [WEDNESDAY]), family=family, guardian=guardian
        )

    lines = list(order.lines.select_related("reservation"))
    assert sorted(line.outcome for line in lines) == [S.ACCEPTED, S.REFUSED]
    refused = next(line.reservation for line in lines if line.outcome == S.REFUSED)
    assert refused.refusal_reason == "Complet."
    assert Slot.objects.get(unit=world.unit, day=WEDNESDAY).booked == 1


def test_an_excluded_unit_booked_that_day_is_refused(db):
    world = make_world()
    morning = Unit.objects.create(
        activity=world.activity,
        name="Matin",
        start_time=datetime.time(8, 30),
        end_time=datetime.time(12, 0),
    )
    morning.excludes.add(world.unit)
    configuration.activity_slots_generate(activity_id=world.activity.pk)
    book(world)

    with translation.override("fr"), pytest.raises(ReservationError) as refusal:
        book_days(world, picks_of([world.child], morning, [WEDNESDAY]))
    reasons = list(map(str, refusal.value.reasons))

    assert reasons == [
        f"{world.child.first_name} – Matin – 25/11/2026 : "
        "Une autre prestation réservée ce jour-là exclut Matin."
    ]
    # Both units ticked the same day exclude each other too.
    next_week = WEDNESDAY + datetime.timedelta(days=7)
    with pytest.raises(ReservationError):
        book_days(
            world,
            [(world.child.pk, morning.pk, next_week), (world.child.pk, world.unit.pk, next_week)],
        )
    assert not Reservation.objects.filter(day=next_week).exists()


def test_an_unregistered_child_and_an_already_booked_day_are_refused(db):
    world = make_world()
    book(world)
    other = factories.ChildFactory(family=world.family)

    with pytest.raises(ReservationError) as refusal:
        book_days(
            world,
            [(world.child.pk, world.unit.pk, WEDNESDAY), (other.pk, world.unit.pk, WEDNESDAY)],
        )

    assert len(refusal.value.reasons) == 2
    assert Reservation.objects.count() == 1


def test_another_familys_child_is_not_found(db):
    world = make_world()
    _family, _guardian, (stranger,) = world.add_family()

    with pytest.raises(Child.DoesNotExist):
        book_days(world, [(stranger.pk, world.unit.pk, WEDNESDAY)])
    assert not Reservation.objects.exists()


def test_the_same_days_in_the_basket_leave_it_once_booked(db):
    world = make_world()
    next_week = WEDNESDAY + datetime.timedelta(days=7)
    add(world, [WEDNESDAY, next_week])

    book_days(world, picks_of([world.child], world.unit, [WEDNESDAY]))

    assert list(BasketItem.objects.values_list("day", flat=True)) == [next_week]

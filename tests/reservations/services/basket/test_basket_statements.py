"""The basket goes through the same batched booking as « Réserver ces jours »: adding the
planning's ticked days and submitting cost the same number of statements for one day or
twenty, one child or four, one unit or two, with every rule still checked."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reservations.choices import HOLDS_PLACE, ValidationMode
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import BasketItem, Order, Reservation, ReservationEvent, Slot
from reservations.services import basket as basket_services
from reservations.services.configuration import activity_slots_generate
from tests import factories

from ...conftest import NOW, WEDNESDAY, make_world

pytestmark = pytest.mark.django_db


def open_days(world, count):
    return list(
        Slot.objects.filter(unit=world.unit, group=world.group, day__gte=WEDNESDAY, is_closed=False)
        .order_by("day")
        .values_list("day", flat=True)[:count]
    )


def add_and_submit(family, guardian, picks) -> tuple[int, int]:
    """(statements of the add, statements of the submit); the year's order counter exists."""
    with CaptureQueriesContext(connection) as add:
        _picks, refused = basket_services.basket_add_picks(family=family, picks=picks, now=NOW)
    assert not refused
    with CaptureQueriesContext(connection) as submit:
        basket_services.basket_submit(family=family, user=guardian.user, now=NOW)
    return len(add), len(submit)


def first_order(world):
    day = open_days(world, 30)[-1]
    basket_services.basket_add_picks(
        family=world.family, picks=[(world.child.pk, world.unit.pk, day)], now=NOW
    )
    basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)


def test_the_statements_do_not_grow_with_the_days():
    world = make_world(capacity=5)
    first_order(world)
    family_one, guardian_one, (child_one,) = world.add_family()
    family_many, guardian_many, (child_many,) = world.add_family()
    days = open_days(world, 20)
    assert len(days) == 20

    one = add_and_submit(family_one, guardian_one, [(child_one.pk, world.unit.pk, days[0])])
    many = add_and_submit(
        family_many, guardian_many, [(child_many.pk, world.unit.pk, day) for day in days]
    )

    assert one == many, f"{one} statements for 1 day, {many} for 20"
    assert sum(many) <= 30
    assert Reservation.objects.filter(child=child_many, status=S.ACCEPTED).count() == 20
    assert ReservationEvent.objects.filter(reservation__child=child_many).count() == 20
    assert not BasketItem.objects.exists()


def test_the_statements_do_not_grow_with_the_children_or_the_units():
    world = make_world(capacity=10)
    first_order(world)
    afternoon = factories.UnitFactory(activity=world.activity, name="Après-midi")
    activity_slots_generate(activity_id=world.activity.pk)
    family_one, guardian_one, (child_one,) = world.add_family()
    family_four, guardian_four, children = world.add_family(children=4)
    days = open_days(world, 2)

    one = add_and_submit(family_one, guardian_one, [(child_one.pk, world.unit.pk, days[0])])
    four = add_and_submit(
        family_four,
        guardian_four,
        [
            (child.pk, unit.pk, day)
            for child in children
            for unit in (world.unit, afternoon)
            for day in days
        ],
    )

    assert one == four
    order = Order.objects.get(family=family_four)
    assert order.lines.count() == 16
    for day in days:
        slot = Slot.objects.get(unit=world.unit, group=world.group, day=day)
        assert slot.booked == Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()


def test_a_line_past_its_deadline_saves_nothing_and_says_which_in_french():
    world = make_world()
    days = open_days(world, 2)
    basket_services.basket_add_picks(
        family=world.family, picks=[(world.child.pk, world.unit.pk, day) for day in days], now=NOW
    )

    with translation.override("fr"), pytest.raises(ReservationError) as refusal:
        basket_services.basket_submit(
            family=world.family,
            user=world.guardian.user,
            now=datetime.datetime(2026, 11, 25, 12, 0, tzinfo=NOW.tzinfo),
        )

    assert str(refusal.value.message) == (
        "Certaines lignes de votre panier ne peuvent plus être validées."
    )
    (reason,) = map(str, refusal.value.reasons)
    assert f"{days[0]:%d/%m/%Y}" in reason and "Cette journée est passée." in reason
    assert not Reservation.objects.exists() and not Order.objects.exists()
    assert BasketItem.objects.count() == 2
    assert Slot.objects.filter(booked__gt=0).count() == 0


def test_staff_validation_full_days_and_the_places_in_basket_order():
    world = make_world(capacity=1, waiting_list=True, booking_validation=ValidationMode.STAFF)
    family, guardian, children = world.add_family(children=2)
    days = open_days(world, 2)
    basket_services.basket_add_picks(
        family=family,
        picks=[(child.pk, world.unit.pk, day) for child in reversed(children) for day in days],
        now=NOW,
    )

    order = basket_services.basket_submit(family=family, user=guardian.user, now=NOW)

    outcomes = {
        (line.reservation.child_id, line.reservation.day): line.outcome
        for line in order.lines.select_related("reservation")
    }
    # The first line put in the basket gets the place; the other child waits.
    first, second = children[1], children[0]
    assert outcomes == {
        (first.pk, days[0]): S.REQUESTED,
        (first.pk, days[1]): S.REQUESTED,
        (second.pk, days[0]): S.WAITING,
        (second.pk, days[1]): S.WAITING,
    }
    assert order.total == 2 * Reservation.objects.filter(child=first).first().unit_price

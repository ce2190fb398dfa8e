"""A child who came without booking is billed to the household that has the child that
day (its custody rhythm), not to whichever household registered last; when no rhythm
decides, the roll call asks staff who pays. The day is priced by the tariffs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.staff_groups import ENFANCE
from portal_features.models import ChildMembership
from reservations.models import Registration, Reservation, Slot, Tariff
from reservations.selectors.attendance import walk_in_candidates
from reservations.services.attendance import PayerRequired, attendance_walk_in
from tests import factories
from tests.admin.screens import staff_in

from ..conftest import make_world

pytestmark = pytest.mark.django_db

SHEET = "reservations_attendance"
WALK_IN = "reservations_attendance_walk_in"


@pytest.fixture
def world(db):
    today = timezone.localdate()
    return make_world(
        capacity=30,
        start_date=today - datetime.timedelta(days=14),
        end_date=today + datetime.timedelta(days=60),
        weekdays=list(range(7)),
    )


def iso_week_parity(day) -> str:
    return "odd_weeks" if day.isocalendar().week % 2 else "even_weeks"


@pytest.fixture
def day(world):
    return world.unit.slots.filter(day__gte=timezone.localdate()).order_by("day").first().day


@pytest.fixture
def shared(world):
    """Emma lives with her mother (registered first) and her father (registered last)."""
    mother, father = world.family, factories.FamilyFactory(name="ROUSSEL")
    emma = world.child
    emma.memberships.create(family=father)
    factories.RegistrationFactory(
        family=father, child=emma, activity=world.activity, group=world.group
    )
    return emma, mother, father


def set_custody(child, family, rhythm, weekdays=()):
    ChildMembership.objects.filter(child=child, family=family).update(
        custody=rhythm, custody_weekdays=list(weekdays)
    )


def slot(world, day):
    return Slot.objects.get(unit=world.unit, group=world.group, day=day)


def test_the_walk_in_is_billed_to_the_household_whose_week_it_is(world, day, shared):
    emma, mother, father = shared
    set_custody(emma, mother, iso_week_parity(day))
    set_custody(emma, father, "even_weeks" if iso_week_parity(day) == "odd_weeks" else "odd_weeks")

    reservation = attendance_walk_in(child_id=emma.pk, slot_id=slot(world, day).pk, actor=None)

    assert reservation.family == mother  # the father registered last


def test_without_a_rhythm_staff_choose_the_payer_among_the_households(world, day, shared):
    emma, mother, father = shared

    with pytest.raises(PayerRequired) as caught:
        attendance_walk_in(child_id=emma.pk, slot_id=slot(world, day).pk, actor=None)
    with pytest.raises(PayerRequired):  # a household that is not the child's
        attendance_walk_in(
            child_id=emma.pk,
            slot_id=slot(world, day).pk,
            actor=None,
            family_id=factories.FamilyFactory().pk,
        )
    assert not Reservation.objects.exists() and slot(world, day).booked == 0
    assert set(caught.value.households) == {mother, father}

    reservation = attendance_walk_in(
        child_id=emma.pk, slot_id=slot(world, day).pk, actor=None, family_id=father.pk
    )

    assert reservation.family == father


def test_the_walk_in_is_priced_by_the_tariff_of_the_payer(world, day):
    Tariff.objects.create(
        unit=world.unit,
        valid_from=day - datetime.timedelta(days=30),
        method="flat",
        amount="9.00",
        walk_in_amount="14.00",
    )
    Tariff.objects.create(
        unit=world.unit,
        kind="meal",
        valid_from=day - datetime.timedelta(days=30),
        method="flat",
        amount="3.10",
    )

    reservation = attendance_walk_in(
        child_id=world.child.pk, slot_id=slot(world, day).pk, actor=None
    )

    assert reservation.unit_price == Decimal("17.10")


def test_a_child_registered_by_both_households_is_offered_once(world, day, shared):
    candidates = walk_in_candidates(day=day, unit=world.unit)

    assert [registration.child for registration in candidates] == [shared[0]]


def test_the_roll_call_asks_who_pays_then_records_the_choice(client, world, day, shared):
    emma, mother, father = shared
    client.force_login(staff_in(ENFANCE))
    params = {"day": day.isoformat(), "activity": world.activity.pk, "unit": world.unit.pk}
    registration = Registration.objects.filter(child=emma, family=mother).get()

    asked = client.post(reverse(WALK_IN), {**params, "registration": registration.pk})

    assert asked.status_code == 200
    assert not Reservation.objects.exists()
    html = asked.content.decode()
    assert {value for value, _label in asked.context["payer_choices"]} == {mother.pk, father.pk}
    assert 'name="payer"' in html and str(father) in html

    recorded = client.post(
        reverse(WALK_IN), {**params, "registration": registration.pk, "payer": father.pk}
    )

    assert recorded.status_code == 302
    assert Reservation.objects.get(child=emma, day=day).family == father

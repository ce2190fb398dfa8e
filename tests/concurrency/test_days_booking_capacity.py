"""« Réserver les jours cochés » under the rush: 64 families tick the same two days at the
same instant. The places are taken by the slots locked in id order and one conditional
UPDATE: never more than the capacity, no deadlock, one order number each. The control
replaces the guard by a naive read-then-decide and shows the overbooking it prevents, so
the guarded test cannot pass by luck of timing."""

import datetime
from collections import Counter

import pytest
from django.db import connection

from reservations.choices import ReservationStatus as S
from reservations.models import Order, Reservation, Slot
from reservations.services import batch
from reservations.services import days as days_services
from tests.reservations.conftest import NOW, WEDNESDAY, make_world

from .test_booking_capacity import FAMILIES, Gate, _fresh_content_types, holders, run_at_once

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL; "
        "SQLite locks the whole file, so there is no race to test",
    ),
]

__all__ = ["_fresh_content_types"]  # the autouse fixture, shared

NEXT_WEEK = WEDNESDAY + datetime.timedelta(days=7)


def days_race(monkeypatch, *, take_places, capacity, waiting_list):
    """64 families, each with a child registered, book WEDNESDAY and NEXT_WEEK at once with
    `take_places` as the guard during the race only; returns (world, results)."""
    world = make_world(capacity=capacity, waiting_list=waiting_list)
    jobs = []
    for index in range(FAMILIES):
        family, guardian, (child,) = world.add_family()
        now = NOW + datetime.timedelta(milliseconds=index)
        picks = [(child.pk, world.unit.pk, WEDNESDAY), (child.pk, world.unit.pk, NEXT_WEEK)]

        def job(family=family, guardian=guardian, now=now, picks=picks):
            order = days_services.days_book(family=family, user=guardian.user, picks=picks, now=now)
            return tuple(order.lines.order_by("reservation__day").values_list("outcome", flat=True))

        jobs.append(job)
    with monkeypatch.context() as patch:
        patch.setattr(batch, "take_places", take_places)
        results = run_at_once(jobs)
    return world, results


def outcomes_of(results):
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return Counter(outcome for result in results for outcome in result)


def gated(wait):
    """The real guard, reached by every family at the same instant."""
    take = batch.take_places

    def gated_take(picks):
        wait()
        return take(picks)

    return gated_take


def test_64_families_tick_the_same_two_days_one_place_each_the_others_wait(monkeypatch):
    wait = Gate(FAMILIES)

    world, results = days_race(monkeypatch, take_places=gated(wait), capacity=1, waiting_list=True)

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: 2, S.WAITING: 2 * (FAMILIES - 1)}
    for day in (WEDNESDAY, NEXT_WEEK):
        slot = world.slot(day)
        assert slot.booked == slot.capacity == holders(slot) == 1
    assert Order.objects.count() == FAMILIES


def test_64_families_with_room_for_all_take_64_numbers_each_once(monkeypatch):
    wait = Gate(FAMILIES)

    world, results = days_race(
        monkeypatch, take_places=gated(wait), capacity=FAMILIES, waiting_list=True
    )

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: 2 * FAMILIES}
    assert world.slot(WEDNESDAY).booked == world.slot(NEXT_WEEK).booked == FAMILIES
    assert sorted(Order.objects.values_list("number", flat=True)) == [
        f"2026-{rank:05d}" for rank in range(1, FAMILIES + 1)
    ]


def test_64_families_without_waiting_list_are_refused_beyond_the_capacity(monkeypatch):
    wait = Gate(FAMILIES)

    world, results = days_race(monkeypatch, take_places=gated(wait), capacity=3, waiting_list=False)

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: 6, S.REFUSED: 2 * (FAMILIES - 3)}
    assert world.slot(WEDNESDAY).booked == holders(world.slot(WEDNESDAY)) == 3


def test_control_reading_the_places_without_lock_overbooks(monkeypatch):
    """The naive guard reads the places left without locking, waits (the window every
    request shares), then decides: without `FOR UPDATE` and the conditional UPDATE, the
    slots are overbooked."""
    wait = Gate(FAMILIES)

    def read_then_decide(picks):
        free = dict(
            Slot.objects.filter(pk__in={pick.slot.pk for pick in picks}).values_list("pk", "booked")
        )
        taken = Counter(
            Reservation.objects.filter(
                slot_id__in=free, status__in=[S.ACCEPTED, S.REQUESTED]
            ).values_list("slot_id", flat=True)
        )
        wait()
        return [taken[pick.slot.pk] < pick.slot.capacity for pick in picks]

    world, results = days_race(
        monkeypatch, take_places=read_then_decide, capacity=1, waiting_list=True
    )

    assert wait.met
    accepted = Reservation.objects.filter(slot=world.slot(WEDNESDAY), status=S.ACCEPTED).count()
    assert accepted > world.slot(WEDNESDAY).capacity  # the race happened
    assert outcomes_of(results)[S.ACCEPTED] == 2 * accepted

"""Many families at the same instant: capacity is never exceeded and a freed place is offered
to one waiting child, once. Each guarded race has its control: the same race with the
guard replaced by a naive check-then-write shows the overbooking (or double offer) that the
guard prevents, so the guarded test cannot pass by luck of timing.

The threads meet at a barrier just before the guarded step, so every request reaches it at
once; each thread has its own database connection, closed when it ends.
"""

import contextlib
import datetime
import threading
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections

from portal_features.alerts.tell import family_tell
from portal_features.models import Notification
from reservations.choices import HOLDS_PLACE
from reservations.choices import ReservationStatus as S
from reservations.models import Order, Reservation, ReservationEvent, Slot
from reservations.services import basket as basket_services
from reservations.services import batch, booking
from reservations.services.history import reservation_transition
from tests.reservations.conftest import NOW, WEDNESDAY, make_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent transactions and row locks need PostgreSQL; "
        "SQLite locks the whole file, so there is no race to test",
    ),
]

FAMILIES = 64
CANCELLATIONS = 8
WAITING = 10
# Long enough for the slowest thread to arrive; a broken barrier only widens no window.
GATE_TIMEOUT = 10


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # The browser tests' serialized rollback recreates content types under new ids; the
    # process-wide cache may still hold the old ones, which Wagtail's reference index
    # (written on save, here from other threads) would then point at.
    ContentType.objects.clear_cache()


def run_at_once(jobs):
    """Run each job in its own thread, all released together; returns each job's result,
    or the exception it raised."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            start.wait(timeout=GATE_TIMEOUT)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


class Gate:
    """A meeting point for `parties` threads that never blocks one for good; `met` says
    whether they all arrived together (the window the test means to open was open)."""

    def __init__(self, parties):
        self.barrier = threading.Barrier(parties)

    def __call__(self):
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait(timeout=GATE_TIMEOUT)

    @property
    def met(self) -> bool:
        return not self.barrier.broken


def outcomes_of(results):
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return Counter(results)


def holders(slot) -> int:
    return Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()


# --- (a) the last place, 64 families at once ------------------------------------------------


def book_now(world, family, child, guardian, now):
    basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=[WEDNESDAY],
        user=guardian.user,
        now=now,
    )
    return basket_services.basket_submit(family=family, user=guardian.user, now=now)


def last_place_race(monkeypatch, *, take_places, capacity, taken, waiting_list):
    """64 families, each with a child registered and WEDNESDAY in its basket, submit at
    once for the last place of a slot (`taken` of `capacity` already booked), with
    `take_places` as the basket's guard (`batch.take_places`) during the race only. Each
    family submits at its own instant (NOW + n ms), its place in the waiting list."""
    world = make_world(capacity=capacity, waiting_list=waiting_list)
    for _ in range(taken):
        family, guardian, (child,) = world.add_family()
        book_now(world, family, child, guardian, NOW - datetime.timedelta(days=1))
    jobs, submitted_at = [], {}
    for index in range(FAMILIES):
        family, guardian, (child,) = world.add_family()
        now = NOW + datetime.timedelta(milliseconds=index)
        basket_services.basket_add_bookings(
            family=family,
            child_id=child.pk,
            unit_id=world.unit.pk,
            days=[WEDNESDAY],
            user=guardian.user,
            now=now,
        )
        submitted_at[child.pk] = now

        def job(family=family, guardian=guardian, now=now):
            order = basket_services.basket_submit(family=family, user=guardian.user, now=now)
            return order.lines.get().outcome

        jobs.append(job)
    with monkeypatch.context() as patch:
        patch.setattr(batch, "take_places", take_places)
        results = run_at_once(jobs)
    return world, submitted_at, results


def racers(world, submitted_at):
    return Reservation.objects.filter(slot=world.slot(), child_id__in=submitted_at)


def gated_take_places(wait):
    """The real guard, reached by every booking at the same instant."""
    take = batch.take_places

    def gated_take(picks):
        wait()
        return take(picks)

    return gated_take


def test_64_families_for_the_last_place_one_is_accepted_the_others_wait_in_order(monkeypatch):
    wait = Gate(FAMILIES)

    world, submitted_at, results = last_place_race(
        monkeypatch, take_places=gated_take_places(wait), capacity=1, taken=0, waiting_list=True
    )

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: 1, S.WAITING: FAMILIES - 1}
    slot = world.slot()
    assert slot.booked == slot.capacity == holders(slot) == 1
    reservations = list(racers(world, submitted_at))
    assert Counter(r.status for r in reservations) == {S.ACCEPTED: 1, S.WAITING: FAMILIES - 1}
    # Each child waits from the instant its family submitted.
    assert all(r.requested_at == submitted_at[r.child_id] for r in reservations)

    # The freed place goes to the child that asked first, whoever won the race.
    winner = next(r for r in reservations if r.status == S.ACCEPTED)
    booking.reservation_cancel(
        family=winner.family,
        reservation_id=winner.pk,
        user=None,
        now=NOW + datetime.timedelta(hours=1),
    )
    first_waiting = min(
        (r for r in reservations if r.status == S.WAITING), key=lambda r: (r.requested_at, r.pk)
    )
    offered = Reservation.objects.get(slot=slot, status=S.OFFERED)
    assert offered == first_waiting


def test_64_families_for_the_last_place_without_waiting_list_one_accepted_the_rest_refused(
    monkeypatch,
):
    wait = Gate(FAMILIES)

    world, _submitted_at, results = last_place_race(
        monkeypatch, take_places=gated_take_places(wait), capacity=4, taken=3, waiting_list=False
    )

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: 1, S.REFUSED: FAMILIES - 1}
    slot = world.slot()
    assert slot.booked == slot.capacity == holders(slot) == 4
    assert not Reservation.objects.filter(status=S.WAITING).exists()


def test_control_a_check_then_write_guard_overbooks_the_last_place(monkeypatch):
    """The naive guard counts the places taken without locking the slots, waits (the
    window every request shares), then says yes: without `FOR UPDATE` and the conditional
    UPDATE, the slot is overbooked."""
    wait = Gate(FAMILIES)

    def count_then_take(picks):
        slots = Slot.objects.in_bulk({pick.slot.pk for pick in picks})
        taken = Counter(
            Reservation.objects.filter(slot_id__in=slots, status__in=HOLDS_PLACE).values_list(
                "slot_id", flat=True
            )
        )
        wait()
        return [
            not slots[pick.slot.pk].is_closed and taken[pick.slot.pk] < slots[pick.slot.pk].capacity
            for pick in picks
        ]

    world, _submitted_at, results = last_place_race(
        monkeypatch, take_places=count_then_take, capacity=1, taken=0, waiting_list=True
    )

    assert wait.met
    accepted = outcomes_of(results)[S.ACCEPTED]
    assert accepted > world.slot().capacity  # the race happened
    assert holders(world.slot()) == accepted


def test_64_orders_at_once_take_64_numbers_each_once_none_skipped(monkeypatch):
    """The order number is taken last in the submitting transaction, from the year's locked
    counter row: orders that took their places at the same instant queue for it."""
    wait = Gate(FAMILIES)

    _world, _submitted_at, results = last_place_race(
        monkeypatch,
        take_places=gated_take_places(wait),
        capacity=FAMILIES,
        taken=0,
        waiting_list=True,
    )

    assert wait.met
    assert outcomes_of(results) == {S.ACCEPTED: FAMILIES}
    assert sorted(Order.objects.values_list("number", flat=True)) == [
        f"2026-{rank:05d}" for rank in range(1, FAMILIES + 1)
    ]


# --- (b) places freed at once, each offered once, in waiting order ------------------------------


def cancellation_race(monkeypatch, *, free_place):
    """A full slot (8 places) with 10 children waiting (one minute apart); the 8 holders'
    families submit a cancellation at once, with `free_place` as booking._free_place during
    the race only."""
    world = make_world(capacity=CANCELLATIONS)
    holders_ = []
    for _ in range(CANCELLATIONS):
        family, guardian, (child,) = world.add_family()
        order = book_now(world, family, child, guardian, NOW - datetime.timedelta(days=5))
        holders_.append((family, guardian, order.lines.get().reservation))
    waiting = []
    for minutes in range(WAITING):
        family, guardian, (child,) = world.add_family()
        at = NOW - datetime.timedelta(days=4) + datetime.timedelta(minutes=minutes)
        order = book_now(world, family, child, guardian, at)
        waiting.append(order.lines.get().reservation)
    assert {r.status for r in waiting} == {S.WAITING}
    jobs = []
    for family, guardian, reservation in holders_:
        basket_services.basket_add_cancellation(
            family=family, reservation_id=reservation.pk, user=guardian.user, now=NOW
        )

        def job(family=family, guardian=guardian):
            order = basket_services.basket_submit(family=family, user=guardian.user, now=NOW)
            return order.lines.get().outcome

        jobs.append(job)
    with monkeypatch.context() as patch:
        patch.setattr(booking, "_free_place", free_place)
        results = run_at_once(jobs)
    return world, waiting, results


def offers_per_reservation(waiting):
    events = ReservationEvent.objects.filter(reservation__in=waiting, to_status=S.OFFERED)
    return Counter(events.values_list("reservation_id", flat=True))


def test_8_places_freed_at_once_go_to_the_first_8_waiting_children_once_each(monkeypatch):
    wait, free_place = Gate(CANCELLATIONS), booking._free_place

    def gated_free_place(reservation, *, now):
        wait()  # every cancellation frees its place at the same instant
        return free_place(reservation, now=now)

    world, waiting, results = cancellation_race(monkeypatch, free_place=gated_free_place)

    assert wait.met
    assert outcomes_of(results) == {S.CANCELLED: CANCELLATIONS}
    first, rest = waiting[:CANCELLATIONS], waiting[CANCELLATIONS:]
    assert offers_per_reservation(waiting) == dict.fromkeys((r.pk for r in first), 1)
    for reservation in waiting:
        reservation.refresh_from_db()
    assert [r.status for r in first] == [S.OFFERED] * CANCELLATIONS
    assert [r.status for r in rest] == [S.WAITING] * (WAITING - CANCELLATIONS)
    for reservation in waiting:
        expected = 1 if reservation in first else 0
        assert (
            Notification.objects.filter(family=reservation.family, kind="place_offered").count()
            == expected
        )
    slot = world.slot()
    assert slot.booked == slot.capacity == holders(slot) == CANCELLATIONS


def test_control_b_promoting_without_the_slot_lock_offers_one_child_several_times(monkeypatch):
    """The real promotion runs after the release, whose UPDATE holds the slot's row lock
    until commit, and locks the waiting child's row: promotions of one slot run one after
    the other. The naive one reads the first waiting child before that lock and without
    locking its row, waits, then frees the place and offers it: every cancellation offers
    the same child."""
    wait = Gate(CANCELLATIONS)

    def read_then_offer(reservation, *, now):
        first = (
            Reservation.objects.select_related("family", "child")
            .filter(slot_id=reservation.slot_id, status=S.WAITING)
            .order_by("requested_at", "pk")
            .first()
        )
        wait()
        booking.capacity.place_release(slot_id=reservation.slot_id)
        if first is not None and booking.capacity.place_take(slot_id=reservation.slot_id):
            first.offer_expires_at = now + datetime.timedelta(hours=24)
            reservation_transition(
                reservation=first, to_status=S.OFFERED, actor=None, by_staff=False, now=now
            )
            family_tell(first.family, kind="place_offered", title="Une place est libre", now=now)

    _world, waiting, results = cancellation_race(monkeypatch, free_place=read_then_offer)

    assert wait.met
    assert outcomes_of(results) == {S.CANCELLED: CANCELLATIONS}
    offers = offers_per_reservation(waiting)
    assert max(offers.values()) > 1  # the race happened: one child offered several times
    assert len(offers) < CANCELLATIONS  # fewer children offered than places freed
    first_family = waiting[0].family
    assert Notification.objects.filter(family=first_family, kind="place_offered").count() > 1

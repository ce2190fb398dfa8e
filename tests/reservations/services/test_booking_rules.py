"""The booking rules are the server's, whatever the browser sends: each one is driven through
the services (basket, submit, cancel, offers, absences, collective cancellation, capacity).

Times are Europe/Paris. NOW is Monday 23 November 2026 10:00; WEDNESDAY is the 25th.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import UploadError
from portal_features.models import Child, Notification
from reservations.choices import HOLDS_PLACE
from reservations.choices import ReservationStatus as S
from reservations.eligibility import local_datetime
from reservations.errors import ReservationError
from reservations.models import (
    Absence,
    BasketItem,
    Closure,
    Order,
    Registration,
    Reservation,
    ReservationRule,
    Slot,
)
from reservations.services import absences, booking, closures, configuration
from reservations.services import basket as basket_services
from tests import factories
from tests.files import pdf_bytes

from ..conftest import NOW, PARIS, WEDNESDAY, make_world

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


# --- Late cancellation, the waiting list and offers -------------------------------------


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


def test_late_cancellation_is_billed_until_a_waiting_child_takes_the_place(full_day):
    world, holder, [(family, guardian, first), _second] = full_day

    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    holder.refresh_from_db()
    assert (holder.late_cancellation, holder.replaced_by) == (True, None)
    assert holder.is_billable_late_cancellation
    first.refresh_from_db()
    assert first.status == S.OFFERED

    booking.offer_accept(family=family, reservation_id=first.pk, user=guardian.user, now=NOW)

    holder.refresh_from_db()
    assert holder.replaced_by == first
    assert not holder.is_billable_late_cancellation
    assert_counter_matches(slot_of(world))


def test_late_cancellation_stays_billed_when_the_offer_is_declined_and_nobody_else_waits(
    full_day,
):
    world, holder, [(family, guardian, first), (family2, guardian2, second)] = full_day
    booking.reservation_cancel(
        family=family2, reservation_id=second.pk, user=guardian2.user, now=NOW
    )
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    booking.offer_decline(family=family, reservation_id=first.pk, user=guardian.user, now=NOW)

    holder.refresh_from_db()
    assert holder.is_billable_late_cancellation
    assert slot_of(world).booked == 0


def test_an_expired_offer_goes_to_the_next_waiting_child(full_day):
    world, holder, [(family, guardian, first), (family2, _guardian2, second)] = full_day
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )
    first.refresh_from_db()
    expires = first.offer_expires_at
    assert expires == NOW + datetime.timedelta(hours=24)

    # Still valid at the instant itself, for the job and for the family.
    assert booking.offers_expire(now=expires) == 0
    with pytest.raises(ReservationError):
        booking.offer_accept(
            family=family, reservation_id=first.pk, user=guardian.user, now=expires + MINUTE
        )
    assert booking.offers_expire(now=expires + MINUTE) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.EXPIRED
    assert second.status == S.OFFERED
    # The next offer runs from the expiry, and never beyond the unit's start.
    assert second.offer_expires_at == paris(2026, 11, 25, 8, 30)
    assert Notification.objects.filter(family=family2, kind="place_offered").count() == 1
    assert slot_of(world).booked == 1
    assert_counter_matches(slot_of(world))


# --- Absences ----------------------------------------------------------------------------------


@pytest.fixture
def absence_world(db):
    """WEDNESDAY validated; cancelling free until Monday 23 at 08:30; an absence can be
    declared until 48 h after the day ends, Saturday 28 at 00:00."""
    world = make_world(rule=rule(cancellation_deadline=HOURS_48))
    reservation = book(world, now=paris(2026, 11, 20, 9, 0))
    return world, reservation


def declare(world, reservation, now, certificate=None):
    return absences.absence_declare(
        family=world.family,
        reservation_id=reservation.pk,
        user=world.guardian.user,
        reason=Absence.Reason.ILLNESS,
        certificate=certificate,
        now=now,
    )


@pytest.mark.parametrize(
    ("now", "accepted"),
    [
        (paris(2026, 11, 23, 8, 30), False),  # still cancellable free of charge
        (paris(2026, 11, 23, 8, 31), True),
        (paris(2026, 11, 25, 9, 0), True),  # the morning itself
        (paris(2026, 11, 28, 0, 0), True),  # end of the justification delay
        (paris(2026, 11, 28, 0, 1), False),
    ],
    ids=["at-cancellation-deadline", "just-after", "on-the-day", "at-end-of-delay", "too-late"],
)
def test_an_absence_is_declared_between_the_cancellation_deadline_and_the_delay(
    absence_world, now, accepted
):
    world, reservation = absence_world

    if accepted:
        assert declare(world, reservation, now).status == "declared"
    else:
        with pytest.raises(ReservationError):
            declare(world, reservation, now)
        assert not Absence.objects.exists()


def test_a_pdf_certificate_is_kept_with_the_absence(absence_world, tmp_path):
    world, reservation = absence_world
    pdf = SimpleUploadedFile(
        "certificat médical.pdf", pdf_bytes(text="certificat"), content_type="application/pdf"
    )

    absence = declare(world, reservation, paris(2026, 11, 25, 9, 0), certificate=pdf)

    absence.refresh_from_db()
    assert absence.content_type == "application/pdf"
    assert absence.original_name == "certificat médical.pdf"
    assert absence.certificate.name.endswith(".pdf")
    with absence.certificate.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


def test_a_certificate_over_the_hourly_rate_is_refused_and_nothing_is_saved(
    absence_world, tmp_path, settings
):
    world, reservation = absence_world
    settings.FAMILY_UPLOADS_PER_HOUR = 0
    pdf = SimpleUploadedFile("certificat.pdf", pdf_bytes(), content_type="application/pdf")

    with pytest.raises(ReservationError) as refused:
        declare(world, reservation, paris(2026, 11, 25, 9, 0), certificate=pdf)

    assert isinstance(refused.value, UploadError)
    assert not Absence.objects.exists()
    stored = tmp_path / "private-media"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))
    # Without a certificate the absence is still declared.
    declare(world, reservation, paris(2026, 11, 25, 9, 0))


def test_html_disguised_as_pdf_is_refused_and_nothing_is_saved(absence_world, tmp_path):
    world, reservation = absence_world
    disguised = SimpleUploadedFile(
        "certificat.pdf",
        b"<!DOCTYPE html><html><body>%PDF-1.4<script>alert(1)</script></body></html>",
        content_type="application/pdf",
    )

    with pytest.raises(ReservationError):
        declare(world, reservation, paris(2026, 11, 25, 9, 0), certificate=disguised)

    assert not Absence.objects.exists()
    stored = tmp_path / "private-media"
    assert not stored.exists() or not any(path.is_file() for path in stored.rglob("*"))


# --- Collective cancellation --------------------------------------------------------------------


def test_collective_cancellation_bills_nobody_tells_each_family_once_and_closes_the_day(db, staff):
    # After the cancellation deadline, so a family's own cancellation would be billed.
    world = make_world(capacity=3, rule=rule(cancellation_deadline=HOURS_48))
    early = NOW - datetime.timedelta(days=5)
    book(world, now=early)
    siblings_family, siblings_guardian, siblings = world.add_family(children=2)
    for child in siblings:
        book(world, family=siblings_family, child=child, guardian=siblings_guardian, now=early)
    waiting_family, waiting_guardian, (waiting_child,) = world.add_family()
    book(world, family=waiting_family, child=waiting_child, guardian=waiting_guardian, now=early)
    other_activity = make_world()  # same day, not cancelled
    untouched = book(other_activity)

    count = closures.day_cancel_collectively(
        day=WEDNESDAY, reason="Grève", actor=staff, activity_id=world.activity.pk, now=NOW
    )

    assert count == 4
    cancelled = Reservation.objects.filter(unit=world.unit, day=WEDNESDAY)
    assert set(cancelled.values_list("status", flat=True)) == {S.CANCELLED}
    for reservation in cancelled:
        assert reservation.cancelled_by_commune
        assert not reservation.late_cancellation
        assert not reservation.is_billable_late_cancellation
    for family in (world.family, siblings_family, waiting_family):
        assert Notification.objects.filter(family=family, kind="day_cancelled").count() == 1
    assert not Notification.objects.filter(kind="place_offered").exists()
    slot = slot_of(world)
    assert (slot.is_closed, slot.closed_reason, slot.booked) == (True, "Grève", 0)
    untouched.refresh_from_db()
    assert untouched.status == S.ACCEPTED
    # The closed day cannot be booked again.
    newcomer_family, newcomer_guardian, (newcomer,) = world.add_family()
    assert refused(
        world, WEDNESDAY, family=newcomer_family, child=newcomer, guardian=newcomer_guardian
    )


# --- Capacity -------------------------------------------------------------------------------------


def test_capacity_cannot_go_below_the_places_taken(db):
    world = make_world(capacity=2)
    book(world)
    family, guardian, (child,) = world.add_family()
    book(world, family=family, child=child, guardian=guardian)

    with pytest.raises(ReservationError):
        configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=1, now=NOW)

    assert (slot_of(world).capacity, slot_of(world).booked) == (2, 2)
    configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=2, now=NOW)


def test_raising_capacity_offers_the_new_places_in_waiting_order(full_day):
    world, _holder, [(family, _g, first), (family2, _g2, second)] = full_day
    third_family, third_guardian, (third_child,) = world.add_family()
    third = book(world, family=third_family, child=third_child, guardian=third_guardian)

    configuration.slot_capacity_set(slot_id=slot_of(world).pk, capacity=3, now=NOW)

    for reservation in (first, second, third):
        reservation.refresh_from_db()
    assert (first.status, second.status, third.status) == (S.OFFERED, S.OFFERED, S.WAITING)
    assert Notification.objects.filter(kind="place_offered").count() == 2
    assert {n.family for n in Notification.objects.filter(kind="place_offered")} == {
        family,
        family2,
    }
    assert (slot_of(world).capacity, slot_of(world).booked) == (3, 3)
    assert_counter_matches(slot_of(world))

"""The state machines hold: every allowed move happens through the service that performs it
and leaves its trace (status, event, places), every forbidden move is refused and changes
nothing. The forbidden pairs are computed from the tables in `reservations.choices`."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.choices import RequestStatus
from portal_features.models import FamilyEvent, Notification
from reservations.choices import (
    ABSENCE_TRANSITIONS,
    HOLDS_PLACE,
    REQUEST_TRANSITIONS,
    TRANSITIONS,
    AbsenceStatus,
)
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import (
    Absence,
    BasketItem,
    Enrolment,
    Registration,
    Reservation,
    ReservationEvent,
    ReservationRule,
    Slot,
)
from reservations.services import absences, booking, closures, history, requests
from reservations.services import basket as basket_services
from tests import factories
from tests.files import pdf_bytes

from ..conftest import NOW, PARIS, WEDNESDAY, make_world

# The unit starts at 08:30 on Wednesday 25 November 2026; NOW is Monday 23, 10:00.
DAY_START = datetime.datetime(2026, 11, 25, 8, 30, tzinfo=PARIS)


# --- Helpers ---------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return factories.UserFactory(is_staff=True)


def book(world, family=None, child=None, guardian=None, *, day=WEDNESDAY, now=NOW):
    """Book one day through the basket, as the portal does; returns the reservation."""
    family = family or world.family
    child = child or world.child
    guardian = guardian or world.guardian
    added, blockers = basket_services.basket_add_bookings(
        family=family,
        child_id=child.pk,
        unit_id=world.unit.pk,
        days=[day],
        user=guardian.user,
        now=now,
    )
    assert added == [day], blockers
    order = basket_services.basket_submit(family=family, user=guardian.user, now=now)
    return order.lines.get().reservation


def booked(world, day=WEDNESDAY) -> int:
    return Slot.objects.get(unit=world.unit, group=world.group, day=day).booked


def assert_moved(reservation, *, from_status, to_status, actor, by_staff):
    """The reservation is in `to_status` and its last event says so, with who did it."""
    reservation.refresh_from_db()
    assert reservation.status == to_status
    event = reservation.events.order_by("pk").last()
    assert (event.from_status, event.to_status) == (from_status or "", to_status)
    assert event.actor == actor
    assert event.by_staff is by_staff
    assert_counter_matches(reservation.slot)


def assert_counter_matches(slot):
    """The slot's counter equals the reservations that hold a place on it."""
    slot.refresh_from_db()
    holders = Reservation.objects.filter(slot=slot, status__in=HOLDS_PLACE).count()
    assert slot.booked == holders


def late_rule():
    """Cancellation closes 48 h before 08:30: Monday 23 November 08:30 for the Wednesday."""
    return ReservationRule.objects.create(
        name="Annulation 48 h",
        cancellation_deadline={"kind": "hours_before", "hours": 48, "start": "08:30"},
    )


def waiting_world(**activity_fields):
    """One place, taken by the first family; a second family's child on the waiting list."""
    world = make_world(capacity=1, **activity_fields)
    holder = book(world)
    family, guardian, (child,) = world.add_family()
    waiting = book(world, family, child, guardian)
    assert waiting.status == S.WAITING
    return world, holder, (family, guardian, child, waiting)


def offered_world():
    """The holder cancelled: the waiting child is offered the place until Tuesday 10:00."""
    world, holder, (family, guardian, child, waiting) = waiting_world()
    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED
    return world, (family, guardian, child, waiting)


# Every allowed transition and the test that drives it through its service.
COVERED = {
    (None, S.ACCEPTED): "test_book_with_a_place_left_is_accepted_at_once",
    (None, S.REQUESTED): "test_book_on_a_staff_validated_activity_awaits_validation",
    (None, S.WAITING): "test_book_on_a_full_day_joins_the_waiting_list",
    (None, S.REFUSED): "test_book_on_a_full_day_without_waiting_list_is_refused",
    (S.REQUESTED, S.ACCEPTED): "test_staff_accept_a_request",
    (S.REQUESTED, S.REFUSED): "test_staff_refuse_a_request_and_the_place_frees",
    (S.REQUESTED, S.CANCELLED): "test_family_withdraws_a_request_and_the_place_frees",
    (S.ACCEPTED, S.CANCELLATION_REQUESTED): "test_cancel_before_deadline_staff_mode_asks_staff",
    (S.ACCEPTED, S.CANCELLED): "test_cancel_before_deadline_automatic_mode_is_free / "
    "test_cancel_after_deadline_is_late_in_both_modes",
    (S.CANCELLATION_REQUESTED, S.CANCELLED): "test_staff_accept_a_cancellation_request",
    (S.CANCELLATION_REQUESTED, S.ACCEPTED): "test_staff_refuse_a_cancellation_request",
    (S.WAITING, S.OFFERED): "test_a_freed_place_is_offered_to_the_waiting_child",
    (S.WAITING, S.CANCELLED): "test_family_leaves_the_waiting_list",
    (S.OFFERED, S.ACCEPTED): "test_family_accepts_the_offered_place",
    (S.OFFERED, S.DECLINED): "test_family_declines_the_offered_place",
    (S.OFFERED, S.EXPIRED): "test_an_offer_nobody_accepted_expires",
    (S.OFFERED, S.CANCELLED): "test_collective_cancellation_cancels_an_offered_place",
}


def test_every_allowed_reservation_transition_has_its_test():
    allowed = {(src, dst) for src, targets in TRANSITIONS.items() for dst in targets}
    assert allowed == set(COVERED)


# --- Reservations: creation (basket_submit → reservation_book) -------------------------


def test_book_with_a_place_left_is_accepted_at_once(world):
    reservation = book(world)

    assert_moved(
        reservation,
        from_status=None,
        to_status=S.ACCEPTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.decided_at == NOW
    assert booked(world) == 1


def test_book_on_a_staff_validated_activity_awaits_validation(db):
    world = make_world(booking_validation="staff")

    reservation = book(world)

    assert_moved(
        reservation,
        from_status=None,
        to_status=S.REQUESTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.decided_at is None
    assert booked(world) == 1  # a request holds its place until staff decide


def test_book_on_a_full_day_joins_the_waiting_list(db):
    world = make_world(capacity=1)
    book(world)
    family, guardian, (child,) = world.add_family()

    reservation = book(world, family, child, guardian)

    assert_moved(
        reservation, from_status=None, to_status=S.WAITING, actor=guardian.user, by_staff=False
    )
    assert reservation.requested_at == NOW
    assert booked(world) == 1


def test_book_on_a_full_day_without_waiting_list_is_refused(db):
    world = make_world(capacity=1, waiting_list=False)
    book(world)
    family, guardian, (child,) = world.add_family()

    reservation = book(world, family, child, guardian)

    assert_moved(
        reservation, from_status=None, to_status=S.REFUSED, actor=guardian.user, by_staff=False
    )
    assert reservation.refusal_reason
    line = reservation.order_lines.get()
    assert line.outcome == S.REFUSED
    assert line.order.total == 0  # a refused day is not charged
    assert booked(world) == 1


# --- Reservations: staff decisions on requests --------------------------------------------


@pytest.fixture
def requested(db):
    world = make_world(booking_validation="staff")
    reservation = book(world)
    assert reservation.status == S.REQUESTED
    return world, reservation


def test_staff_accept_a_request(requested, staff):
    world, reservation = requested

    booking.reservation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    assert_moved(
        reservation, from_status=S.REQUESTED, to_status=S.ACCEPTED, actor=staff, by_staff=True
    )
    assert reservation.decided_by == staff
    assert booked(world) == 1


def test_staff_refuse_a_request_and_the_place_frees(requested, staff):
    world, reservation = requested

    booking.reservation_refuse(
        reservation_id=reservation.pk, actor=staff, reason="Groupe complet ce jour-là", now=NOW
    )

    assert_moved(
        reservation, from_status=S.REQUESTED, to_status=S.REFUSED, actor=staff, by_staff=True
    )
    assert reservation.refusal_reason == "Groupe complet ce jour-là"
    assert booked(world) == 0


def test_family_withdraws_a_request_and_the_place_frees(requested):
    world, reservation = requested

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.REQUESTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is False
    assert booked(world) == 0


# --- Reservations: cancelling a validated day ---------------------------------------------


def test_cancel_before_deadline_automatic_mode_is_free(world):
    reservation = book(world)

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is False
    assert not reservation.is_billable_late_cancellation
    assert booked(world) == 0


def test_cancel_before_deadline_staff_mode_asks_staff(db):
    world = make_world(cancellation_validation="staff")
    reservation = book(world)

    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLATION_REQUESTED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert booked(world) == 1  # the place is held until staff accept the cancellation


@pytest.mark.parametrize("mode", ["automatic", "staff"])
def test_cancel_after_deadline_is_late_in_both_modes(db, mode):
    world = make_world(cancellation_validation=mode, rule=late_rule())
    reservation = book(world, now=NOW - datetime.timedelta(days=3))

    # NOW (Monday 10:00) is after the deadline (Monday 08:30): no request to staff, the
    # day is cancelled at once and billed unless a waiting child takes the place.
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.ACCEPTED,
        to_status=S.CANCELLED,
        actor=world.guardian.user,
        by_staff=False,
    )
    assert reservation.late_cancellation is True
    assert reservation.is_billable_late_cancellation
    assert booked(world) == 0


@pytest.fixture
def cancellation_requested(db):
    world = make_world(cancellation_validation="staff")
    reservation = book(world)
    booking.reservation_cancel(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )
    reservation.refresh_from_db()
    assert reservation.status == S.CANCELLATION_REQUESTED
    return world, reservation


def test_staff_accept_a_cancellation_request(cancellation_requested, staff):
    world, reservation = cancellation_requested

    booking.cancellation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    assert_moved(
        reservation,
        from_status=S.CANCELLATION_REQUESTED,
        to_status=S.CANCELLED,
        actor=staff,
        by_staff=True,
    )
    assert reservation.late_cancellation is False
    assert booked(world) == 0


def test_staff_refuse_a_cancellation_request(cancellation_requested, staff):
    world, reservation = cancellation_requested

    booking.cancellation_refuse(
        reservation_id=reservation.pk, actor=staff, reason="Sortie déjà payée", now=NOW
    )

    assert_moved(
        reservation,
        from_status=S.CANCELLATION_REQUESTED,
        to_status=S.ACCEPTED,
        actor=staff,
        by_staff=True,
    )
    assert reservation.refusal_reason == "Sortie déjà payée"
    assert booked(world) == 1


def test_family_cannot_cancel_again_while_staff_review_the_request(cancellation_requested):
    world, reservation = cancellation_requested
    basket_services.basket_add_cancellation(
        family=world.family, reservation_id=reservation.pk, user=world.guardian.user, now=NOW
    )

    # Neither a second request nor a cancelled day whose place stays taken for ever.
    with pytest.raises(ReservationError):
        basket_services.basket_submit(family=world.family, user=world.guardian.user, now=NOW)

    reservation.refresh_from_db()
    assert reservation.status == S.CANCELLATION_REQUESTED
    assert reservation.events.count() == 2
    assert BasketItem.objects.filter(family=world.family).count() == 1
    assert_counter_matches(world.slot())
    assert booked(world) == 1


# --- Reservations: the waiting list and offers -----------------------------------------


def test_a_freed_place_is_offered_to_the_waiting_child(db):
    world, holder, (family, _guardian, _child, waiting) = waiting_world()

    booking.reservation_cancel(
        family=world.family, reservation_id=holder.pk, user=world.guardian.user, now=NOW
    )

    assert_moved(waiting, from_status=S.WAITING, to_status=S.OFFERED, actor=None, by_staff=False)
    # 24 h to accept (offer_hours), and never after the unit starts.
    assert waiting.offer_expires_at == NOW + datetime.timedelta(hours=24)
    assert waiting.offer_expires_at < DAY_START
    assert Notification.objects.filter(family=family, kind="place_offered").count() == 1
    assert booked(world) == 1  # the freed place is held for the offer


def test_family_leaves_the_waiting_list(db):
    world, _holder, (family, guardian, _child, waiting) = waiting_world()

    booking.reservation_cancel(
        family=family, reservation_id=waiting.pk, user=guardian.user, now=NOW
    )

    assert_moved(
        waiting,
        from_status=S.WAITING,
        to_status=S.CANCELLED,
        actor=guardian.user,
        by_staff=False,
    )
    assert booked(world) == 1  # a waiting entry held no place


def test_family_accepts_the_offered_place(db):
    world, (family, guardian, _child, offered) = offered_world()

    booking.offer_accept(family=family, reservation_id=offered.pk, user=guardian.user, now=NOW)

    assert_moved(
        offered, from_status=S.OFFERED, to_status=S.ACCEPTED, actor=guardian.user, by_staff=False
    )
    assert booked(world) == 1


def test_family_declines_the_offered_place(db):
    world, (family, guardian, _child, offered) = offered_world()

    booking.offer_decline(family=family, reservation_id=offered.pk, user=guardian.user, now=NOW)

    assert_moved(
        offered, from_status=S.OFFERED, to_status=S.DECLINED, actor=guardian.user, by_staff=False
    )
    assert booked(world) == 0


def test_an_offer_nobody_accepted_expires(db):
    world, (_family, _guardian, _child, offered) = offered_world()

    assert booking.offers_expire(now=offered.offer_expires_at + datetime.timedelta(minutes=1)) == 1

    assert_moved(offered, from_status=S.OFFERED, to_status=S.EXPIRED, actor=None, by_staff=False)
    assert booked(world) == 0


def test_collective_cancellation_cancels_an_offered_place(db, staff):
    world, (_family, _guardian, _child, offered) = offered_world()

    closures.day_cancel_collectively(
        day=WEDNESDAY, reason="Grève", actor=staff, activity_id=world.activity.pk, now=NOW
    )

    assert_moved(offered, from_status=S.OFFERED, to_status=S.CANCELLED, actor=staff, by_staff=True)
    assert offered.cancelled_by_commune is True
    assert booked(world) == 0


# --- Reservations: every forbidden move is refused ---------------------------------------


FORBIDDEN = sorted(
    ((src, dst) for src, targets in TRANSITIONS.items() for dst in S.values if dst not in targets),
    key=lambda pair: (pair[0] or "", pair[1]),
)


def test_the_forbidden_pairs_cover_every_final_status():
    # Nothing leaves a final status, and nothing goes back to "requested" or "waiting".
    for final in (S.CANCELLED, S.REFUSED, S.DECLINED, S.EXPIRED):
        assert {dst for src, dst in FORBIDDEN if src == final} == set(S.values)
    assert {src for src, dst in COVERED if dst in (S.REQUESTED, S.WAITING)} == {None}


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    FORBIDDEN,
    ids=[f"{src or 'new'}->{dst}" for src, dst in FORBIDDEN],
)
def test_forbidden_reservation_transition_is_refused(world, staff, from_status, to_status):
    slot = world.slot()
    holds_place = from_status in HOLDS_PLACE
    if from_status is None:
        reservation = Reservation(
            family=world.family, child=world.child, unit=world.unit, slot=slot, day=slot.day
        )
    else:
        reservation = Reservation.objects.create(
            family=world.family,
            child=world.child,
            unit=world.unit,
            slot=slot,
            day=slot.day,
            status=from_status,
            offer_expires_at=DAY_START if from_status == S.OFFERED else None,
        )
        Slot.objects.filter(pk=slot.pk).update(booked=int(holds_place))

    with pytest.raises(ReservationError):
        history.reservation_transition(
            reservation=reservation, to_status=to_status, actor=staff, by_staff=True, now=NOW
        )

    assert reservation.status == (from_status or "")
    assert not ReservationEvent.objects.exists()
    assert booked(world) == int(holds_place)
    if from_status is None:
        assert reservation.pk is None
        assert not Reservation.objects.exists()
    else:
        reservation.refresh_from_db()
        assert reservation.status == from_status


# --- Enrolments and registrations ----------------------------------------------------------

R = RequestStatus

# Allowed by REQUEST_TRANSITIONS, but no service performs them yet (see the README of the
# reservations app): an enrolment cannot be withdrawn, an accepted request not cancelled.
REQUEST_WITHOUT_SERVICE = {
    ("enrolment", R.PENDING, R.CANCELLED),
    ("enrolment", R.ACCEPTED, R.CANCELLED),
    ("registration", R.ACCEPTED, R.CANCELLED),
}
REQUEST_COVERED = {
    ("enrolment", None, R.PENDING): "test_enrolment_submitted_awaits_validation",
    ("enrolment", R.PENDING, R.ACCEPTED): "test_staff_accept_an_enrolment",
    ("enrolment", R.PENDING, R.REFUSED): "test_staff_refuse_an_enrolment",
    ("registration", None, R.PENDING): "test_registration_to_a_staff_validated_activity",
    ("registration", None, R.ACCEPTED): "test_registration_to_an_automatic_activity",
    ("registration", R.PENDING, R.ACCEPTED): "test_staff_accept_a_registration",
    ("registration", R.PENDING, R.REFUSED): "test_staff_refuse_a_registration",
    ("registration", R.PENDING, R.CANCELLED): "test_family_withdraws_a_registration",
}


def test_every_allowed_request_transition_has_its_test_or_is_listed_without_service():
    allowed = {
        (kind, src, dst)
        for kind in ("enrolment", "registration")
        for src, targets in REQUEST_TRANSITIONS.items()
        for dst in targets
    }
    # Enrolments are always sent for validation: nothing creates them accepted.
    allowed.discard(("enrolment", None, R.ACCEPTED))
    assert allowed == set(REQUEST_COVERED) | REQUEST_WITHOUT_SERVICE


@pytest.fixture
def newcomer(world):
    """A child of the world's family with no file for the school year yet."""
    child = factories.ChildFactory(family=world.family)
    return world, child


def _pending_enrolment(newcomer):
    world, child = newcomer
    return requests.enrolment_submit(
        family=world.family,
        child_id=child.pk,
        school_year_id=world.activity.school_year_id,
        user=world.guardian.user,
        now=NOW,
    )


def _registration(world, child, validation):
    activity = factories.ActivityFactory(registration_validation=validation)
    factories.GroupFactory(activity=activity)
    return requests.registration_create(
        family=world.family,
        child_id=child.pk,
        activity_id=activity.pk,
        user=world.guardian.user,
        now=NOW,
    )


def test_enrolment_submitted_awaits_validation(newcomer):
    world, child = newcomer

    enrolment = _pending_enrolment(newcomer)

    assert enrolment.status == R.PENDING
    assert enrolment.created_by == world.guardian.user
    event = FamilyEvent.objects.filter(family=world.family).latest("pk")
    assert (event.action, event.actor) == (FamilyEvent.Action.CREATED, world.guardian.user)


def test_staff_accept_an_enrolment(newcomer, staff):
    enrolment = _pending_enrolment(newcomer)

    requests.enrolment_accept(enrolment_id=enrolment.pk, actor=staff, now=NOW)

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.decided_by, enrolment.decided_at) == (
        R.ACCEPTED,
        staff,
        NOW,
    )
    assert Notification.objects.filter(family=enrolment.family, kind="request_accepted").exists()


def test_staff_refuse_an_enrolment(newcomer, staff):
    enrolment = _pending_enrolment(newcomer)

    requests.enrolment_refuse(
        enrolment_id=enrolment.pk, actor=staff, reason="Attestation d'assurance manquante", now=NOW
    )

    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.decided_by) == (R.REFUSED, staff)
    assert enrolment.refusal_reason == "Attestation d'assurance manquante"
    assert Notification.objects.filter(family=enrolment.family, kind="request_refused").exists()


def test_registration_to_a_staff_validated_activity(world):
    registration = _registration(world, world.child, "staff")

    assert registration.status == R.PENDING
    assert registration.decided_at is None


def test_registration_to_an_automatic_activity(world):
    registration = _registration(world, world.child, "automatic")

    assert registration.status == R.ACCEPTED
    assert registration.decided_at == NOW


def test_staff_accept_a_registration(world, staff):
    registration = _registration(world, world.child, "staff")

    requests.registration_accept(registration_id=registration.pk, actor=staff, now=NOW)

    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == (R.ACCEPTED, staff)
    event = FamilyEvent.objects.get(family=world.family, data__id=registration.pk)
    assert (event.action, event.actor) == (FamilyEvent.Action.ACCEPTED, staff)
    assert len(event.action) <= FamilyEvent._meta.get_field("action").max_length


def test_staff_refuse_a_registration(world, staff):
    registration = _registration(world, world.child, "staff")

    requests.registration_refuse(
        registration_id=registration.pk, actor=staff, reason="Hors secteur", now=NOW
    )

    registration.refresh_from_db()
    assert (registration.status, registration.refusal_reason) == (R.REFUSED, "Hors secteur")


def test_family_withdraws_a_registration(world):
    registration = _registration(world, world.child, "staff")

    requests.registration_withdraw(
        family=world.family, registration_id=registration.pk, user=world.guardian.user, now=NOW
    )

    registration.refresh_from_db()
    assert registration.status == R.CANCELLED


def test_staff_refusals_need_a_reason(world, staff):
    registration = _registration(world, world.child, "staff")

    with pytest.raises(ReservationError):
        requests.registration_refuse(
            registration_id=registration.pk, actor=staff, reason="  ", now=NOW
        )

    registration.refresh_from_db()
    assert registration.status == R.PENDING


REQUEST_FORBIDDEN = sorted(
    (kind, src, dst)
    for kind in ("enrolment", "registration")
    for src, targets in REQUEST_TRANSITIONS.items()
    if src is not None  # creation only ever picks an allowed status (tests above)
    for dst in R.values
    if dst not in targets
)


def _request_move(kind, obj, to_status, *, staff, world):
    """The service that would make the move; `_decide` (the guard every staff decision goes
    through) where no public service aims at that status."""
    model = Enrolment if kind == "enrolment" else Registration
    if to_status == R.ACCEPTED:
        accept = requests.enrolment_accept if kind == "enrolment" else requests.registration_accept
        return accept(**{f"{kind}_id": obj.pk}, actor=staff, now=NOW)
    if to_status == R.REFUSED:
        refuse = requests.enrolment_refuse if kind == "enrolment" else requests.registration_refuse
        return refuse(**{f"{kind}_id": obj.pk}, actor=staff, reason="Non", now=NOW)
    if to_status == R.CANCELLED and kind == "registration":
        return requests.registration_withdraw(
            family=world.family, registration_id=obj.pk, user=world.guardian.user, now=NOW
        )
    return requests._decide(model, obj.pk, to_status=to_status, actor=staff, now=NOW, describe=str)


@pytest.mark.parametrize(
    ("kind", "from_status", "to_status"),
    REQUEST_FORBIDDEN,
    ids=[f"{kind}:{src}->{dst}" for kind, src, dst in REQUEST_FORBIDDEN],
)
def test_forbidden_request_transition_is_refused(newcomer, staff, kind, from_status, to_status):
    world, child = newcomer
    if kind == "enrolment":
        obj = factories.EnrolmentFactory(
            family=world.family,
            child=child,
            school_year=world.activity.school_year,
            status=from_status,
        )
    else:
        activity = factories.ActivityFactory(registration_validation="staff")
        obj = factories.RegistrationFactory(
            family=world.family,
            child=child,
            activity=activity,
            group=factories.GroupFactory(activity=activity),
            status=from_status,
        )
    notifications = Notification.objects.count()
    events = FamilyEvent.objects.count()

    with pytest.raises(ReservationError):
        _request_move(kind, obj, to_status, staff=staff, world=world)

    obj.refresh_from_db()
    assert obj.status == from_status
    assert obj.decided_by is None
    assert Notification.objects.count() == notifications
    assert FamilyEvent.objects.count() == events


# --- Absences -------------------------------------------------------------------------------

A = AbsenceStatus
# Wednesday 25 November 09:00: the cancellation deadline has passed, the justification
# delay (until Saturday 28 November 00:00) has not.
ON_THE_DAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)

# Staff cannot yet record an absence themselves (excused or billed at once): allowed by
# ABSENCE_TRANSITIONS, performed by no service.
ABSENCE_WITHOUT_SERVICE = {(None, A.EXCUSED), (None, A.BILLED)}
ABSENCE_COVERED = {
    (None, A.DECLARED): "test_family_declares_an_absence",
    (A.DECLARED, A.EXCUSED): "test_staff_excuse_a_declared_absence",
    (A.DECLARED, A.BILLED): "test_staff_bill_a_declared_absence",
    (A.BILLED, A.EXCUSED): "test_staff_excuse_a_billed_absence_afterwards",
}


def test_every_allowed_absence_transition_has_its_test_or_is_listed_without_service():
    allowed = {(src, dst) for src, targets in ABSENCE_TRANSITIONS.items() for dst in targets}
    assert allowed == set(ABSENCE_COVERED) | ABSENCE_WITHOUT_SERVICE


def declare(world, reservation, **kwargs):
    return absences.absence_declare(
        family=world.family,
        reservation_id=reservation.pk,
        user=world.guardian.user,
        reason=kwargs.pop("reason", Absence.Reason.ILLNESS),
        now=kwargs.pop("now", ON_THE_DAY),
        **kwargs,
    )


@pytest.fixture
def declared(world):
    reservation = book(world)
    return world, declare(world, reservation)


def test_family_declares_an_absence(world):
    reservation = book(world)
    certificate = SimpleUploadedFile(
        "certificat.pdf", pdf_bytes(text="certificat"), content_type="application/pdf"
    )

    absence = declare(world, reservation, certificate=certificate, comment="Fièvre")

    absence.refresh_from_db()
    assert absence.status == A.DECLARED
    assert absence.declared_by == world.guardian.user
    assert absence.content_type == "application/pdf"
    reservation.refresh_from_db()
    assert reservation.status == S.ACCEPTED  # the day stays booked; the absence decides
    assert booked(world) == 1


def test_staff_excuse_a_declared_absence(declared, staff):
    world, absence = declared

    absences.absence_excuse(absence_id=absence.pk, actor=staff, now=ON_THE_DAY)

    absence.refresh_from_db()
    assert (absence.status, absence.decided_by) == (A.EXCUSED, staff)
    assert Notification.objects.filter(family=world.family, kind="request_accepted").exists()


def test_staff_bill_a_declared_absence(declared, staff):
    world, absence = declared

    absences.absence_bill(
        absence_id=absence.pk, actor=staff, note="Certificat non fourni", now=ON_THE_DAY
    )

    absence.refresh_from_db()
    assert (absence.status, absence.staff_note) == (A.BILLED, "Certificat non fourni")
    assert Notification.objects.filter(family=world.family, kind="request_refused").exists()


def test_staff_excuse_a_billed_absence_afterwards(declared, staff):
    _world, absence = declared
    absences.absence_bill(absence_id=absence.pk, actor=staff, note="Sans certificat")

    absences.absence_excuse(absence_id=absence.pk, actor=staff, note="Certificat reçu")

    absence.refresh_from_db()
    assert absence.status == A.EXCUSED


ABSENCE_FORBIDDEN = sorted(
    (src, dst)
    for src, targets in ABSENCE_TRANSITIONS.items()
    if src is not None
    for dst in A.values
    if dst not in targets
)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    ABSENCE_FORBIDDEN,
    ids=[f"{src}->{dst}" for src, dst in ABSENCE_FORBIDDEN],
)
def test_forbidden_absence_transition_is_refused(declared, staff, from_status, to_status):
    world, absence = declared
    if from_status == A.EXCUSED:
        absences.absence_excuse(absence_id=absence.pk, actor=staff)
    elif from_status == A.BILLED:
        absences.absence_bill(absence_id=absence.pk, actor=staff, note="Sans certificat")
    absence.refresh_from_db()
    before = (absence.status, absence.decided_at, absence.staff_note)
    notifications = Notification.objects.count()

    with pytest.raises(ReservationError):
        if to_status == A.EXCUSED:
            absences.absence_excuse(absence_id=absence.pk, actor=staff, note="Encore")
        elif to_status == A.BILLED:
            absences.absence_bill(absence_id=absence.pk, actor=staff, note="Encore")
        else:
            declare(world, absence.reservation)

    absence.refresh_from_db()
    assert (absence.status, absence.decided_at, absence.staff_note) == before
    assert before[0] == from_status
    assert Absence.objects.count() == 1
    assert Notification.objects.count() == notifications

"""Enrolments' and registrations' state machine holds: every allowed move through its
service, every forbidden one refused without a trace. The forbidden pairs are computed from
`reservations.choices.REQUEST_TRANSITIONS`."""

import pytest

from core.choices import RequestStatus
from portal_features.models import FamilyEvent, Notification
from reservations.errors import ReservationError
from reservations.models import Enrolment, Registration
from reservations.services import requests
from tests import factories
from tests.transitions import Coverage, assert_covered, forbidden

from ..conftest import NOW

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


# Enrolments are always sent for validation: nothing creates them accepted.
REQUEST_WITHOUT_SERVICE.add(("enrolment", None, R.ACCEPTED))


def _coverage(kind):
    return Coverage(
        {(src, dst): test for (k, src, dst), test in REQUEST_COVERED.items() if k == kind},
        frozenset((src, dst) for k, src, dst in REQUEST_WITHOUT_SERVICE if k == kind),
    )


TRANSITION_COVERAGE = {
    "reservations.enrolment": _coverage("enrolment"),
    "reservations.registration": _coverage("registration"),
}


def test_every_allowed_request_transition_has_its_test_or_is_listed_without_service():
    assert_covered(globals())


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


# Creation only ever picks an allowed status (tests above).
REQUEST_FORBIDDEN = [
    (kind, src, dst)
    for kind in ("enrolment", "registration")
    for src, dst in forbidden(f"reservations.{kind}")
]


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

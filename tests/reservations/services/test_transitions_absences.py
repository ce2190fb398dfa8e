"""Absences' state machine holds: the family declares, staff excuse or bill, every
forbidden move is refused and changes nothing. The forbidden pairs are computed from
`reservations.choices.ABSENCE_TRANSITIONS`."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal_features.models import Notification
from reservations.choices import AbsenceStatus
from reservations.choices import ReservationStatus as S
from reservations.errors import ReservationError
from reservations.models import Absence
from reservations.services import absences
from tests.files import pdf_bytes
from tests.transitions import Coverage, assert_covered, forbidden, pair_ids

from ..conftest import PARIS
from .transition_helpers import book, booked

A = AbsenceStatus
# Wednesday 25 November 09:00: the cancellation deadline has passed, the justification
# delay (until Saturday 28 November 00:00) has not.
ON_THE_DAY = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)

ABSENCE_COVERED = {
    (None, A.DECLARED): "test_family_declares_an_absence",
    (None, A.EXCUSED): "test_staff_record_an_absence_decided_at_once",
    (None, A.BILLED): "test_staff_record_an_absence_decided_at_once",
    (A.DECLARED, A.EXCUSED): "test_staff_excuse_a_declared_absence",
    (A.DECLARED, A.BILLED): "test_staff_bill_a_declared_absence",
    (A.BILLED, A.EXCUSED): "test_staff_excuse_a_billed_absence_afterwards",
}


TRANSITION_COVERAGE = {"reservations.absence": Coverage(ABSENCE_COVERED)}


def test_every_allowed_absence_transition_has_its_test_or_is_listed_without_service():
    assert_covered(globals())


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


@pytest.mark.parametrize("status", [A.EXCUSED, A.BILLED])
def test_staff_record_an_absence_decided_at_once(world, staff, status):
    """A day marked "absent" at roll call, without a declaration: staff decide it."""
    reservation = book(world)

    absence = absences.absence_record(
        reservation=reservation, status=status, actor=staff, note="Vu", now=ON_THE_DAY
    )

    absence.refresh_from_db()
    assert (absence.status, absence.decided_by, absence.decided_at) == (status, staff, ON_THE_DAY)
    kind = "request_accepted" if status == A.EXCUSED else "request_refused"
    assert Notification.objects.filter(family=world.family, kind=kind).exists()


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


ABSENCE_FORBIDDEN = forbidden("reservations.absence")


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    ABSENCE_FORBIDDEN,
    ids=pair_ids(ABSENCE_FORBIDDEN),
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

"""What the tests of the queues « Demandes (réservations) » share: a daily activity
around today decided by staff, and ways to fill the queues as families do."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reservations.models import Absence, Registration
from reservations.services import absences, booking
from tests import factories
from tests.files import pdf_bytes

from ...conftest import PARIS

PDF = pdf_bytes(text="certificat medical")
REFUSAL_REQUIRED = "Indiquez le motif du refus : il sera communiqué à la famille."
FIELD_REQUIRED = "Champ requis."


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect (dashboard, login)."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (
            response.url == reverse("wagtailadmin_home")
            or response.url.startswith(reverse("wagtailadmin_login"))
        )
    )


def book(world, family, child, guardian, day):
    with transaction.atomic():
        return booking.reservation_book(
            family=family,
            child=child,
            slot=world.slot(day),
            unit_price=world.unit.price,
            user=guardian.user,
            now=timezone.now(),
        )


def accepted(world, family, child, guardian, day, staff):
    reservation = book(world, family, child, guardian, day)
    return booking.reservation_accept(reservation_id=reservation.pk, actor=staff)


def status(obj):
    return type(obj).objects.get(pk=obj.pk).status


def listed(content: str, child) -> bool:
    return child.first_name in content


def pending_enrolment(world, first_name):
    family = factories.FamilyFactory()
    child = factories.ChildFactory(family=family, first_name=first_name)
    return factories.EnrolmentFactory(
        family=family, child=child, school_year=world.activity.school_year, status="pending"
    )


def pending_registrations(world, names):
    registrations = []
    for name in names:
        _family, _guardian, (child,) = world.add_family()
        child.first_name = name
        child.save()
        registration = Registration.objects.get(child=child)
        registration.status = "pending"
        registration.save()
        registrations.append(registration)
    return registrations


def cancellation_request(world, family, child, guardian, day, staff):
    reservation = accepted(world, family, child, guardian, day, staff)
    return booking.reservation_cancel(
        family=family, reservation_id=reservation.pk, user=guardian.user, now=timezone.now()
    )


def declared_absence(world, family, child, guardian, day, staff, certificate=True):
    reservation = accepted(world, family, child, guardian, day, staff)
    morning = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=PARIS)
    return absences.absence_declare(
        family=family,
        reservation_id=reservation.pk,
        user=guardian.user,
        reason=Absence.Reason.ILLNESS,
        comment="Fièvre",
        certificate=SimpleUploadedFile("certificat médical.pdf", PDF) if certificate else None,
        now=morning,
    )

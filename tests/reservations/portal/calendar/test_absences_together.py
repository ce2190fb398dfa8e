"""Absences as families live them: one declaration for several days and units with one
certificate, the certificate sent after declaring, and no cancellation of a day whose
absence is declared."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal_features.models import FamilyEvent
from reservations.errors import ReservationError
from reservations.models import Absence
from reservations.services import absences as absence_services
from reservations.services import basket as basket_services
from reservations.services.configuration import activity_slots_generate
from tests import factories

from ...conftest import NOW, WEDNESDAY
from .conftest import DEC_2, PDF, book, private_files, url

pytestmark = pytest.mark.django_db

NOV_18 = datetime.date(2026, 11, 18)
A_WEEK_BEFORE = NOW - datetime.timedelta(days=7)


def certificate(name="certificat.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def two_units(world):
    """A « Repas » unit besides the « Journée », and 200 h to declare an absence after the
    day: Wednesday 18 (past) and 25 November (past its free cancellation) can take one,
    2 December can still be cancelled."""
    world.activity.rule.absence_justification_hours = 200
    world.activity.rule.save()
    meal = factories.UnitFactory(activity=world.activity, name="Repas", sort_order=1)
    activity_slots_generate(activity_id=world.activity.pk)
    booked = {}
    for unit in (world.unit, meal):
        for days, now in (([NOV_18], A_WEEK_BEFORE), ([WEDNESDAY, DEC_2], NOW)):
            basket_services.basket_add_bookings(
                family=world.family,
                child_id=world.child.pk,
                unit_id=unit.pk,
                days=days,
                user=world.guardian.user,
                now=now,
            )
            basket_services.basket_submit(family=world.family, user=world.guardian.user, now=now)
    for reservation in world.family.reservations.all():
        booked[(reservation.unit_id, reservation.day)] = reservation
    world.meal = meal
    world.booked = booked
    return world


def _declarable(world):
    return [
        world.booked[(unit.pk, day)]
        for unit in (world.unit, world.meal)
        for day in (NOV_18, WEDNESDAY)
    ]


def test_one_declaration_covers_two_days_and_two_units_with_one_certificate(two_units, settings):
    world = two_units
    chosen = _declarable(world)
    declared = absence_services.absences_declare(
        family=world.family,
        reservation_ids=[reservation.pk for reservation in chosen],
        user=world.guardian.user,
        reason="illness",
        comment="Varicelle",
        certificate=certificate("certificat varicelle.pdf"),
        now=NOW,
    )

    assert len(declared) == 4
    absences = list(Absence.objects.filter(reservation__in=chosen))
    assert len(absences) == 4
    assert len({absence.declaration for absence in absences}) == 1
    assert absences[0].declaration is not None
    assert len({absence.certificate.name for absence in absences}) == 1
    assert {absence.original_name for absence in absences} == {"certificat varicelle.pdf"}
    # One file stored, its size counted once in the family's quota.
    assert len(private_files(settings)) == 1
    assert sum(absence.size for absence in absences) == len(PDF)
    assert (
        FamilyEvent.objects.filter(family=world.family, description__startswith="Absence").count()
        >= 4
    )


def test_a_day_still_free_to_cancel_refuses_the_whole_declaration(two_units, settings):
    world = two_units
    with pytest.raises(ReservationError) as refused:
        absence_services.absences_declare(
            family=world.family,
            reservation_ids=[
                world.booked[(world.unit.pk, WEDNESDAY)].pk,
                world.booked[(world.unit.pk, DEC_2)].pk,
            ],
            user=world.guardian.user,
            reason="illness",
            certificate=certificate(),
            now=NOW,
        )
    assert "2" in refused.value.message  # the refused day is named
    assert not Absence.objects.exists()
    assert private_files(settings) == []


def test_the_form_offers_only_the_days_an_absence_can_take(logged_in, portal, two_units):
    world = two_units
    other, other_guardian, (other_child,) = world.add_family()
    theirs = book(world, other, other_child, other_guardian, [WEDNESDAY])[WEDNESDAY]
    form_url = url(portal, "absences_declare")
    response = logged_in.get(form_url)
    assert response.status_code == 200
    offered = {value for value, _label in response.context["form"].fields["reservations"].choices}
    assert offered == {reservation.pk for reservation in _declarable(world)}

    # Another family's day, or one still free to cancel: refused next to the field.
    for forged in (theirs.pk, world.booked[(world.unit.pk, DEC_2)].pk):
        response = logged_in.post(form_url, {"reservations": [forged], "reason": "illness"})
        assert response.status_code == 200
        assert response.context["form"].errors["reservations"]
    assert not Absence.objects.exists()


def test_the_form_declares_several_days_and_returns_to_their_week(logged_in, portal, two_units):
    world = two_units
    chosen = _declarable(world)
    response = logged_in.post(
        url(portal, "absences_declare"),
        {
            "reservations": [reservation.pk for reservation in chosen],
            "reason": "illness",
            "certificate": certificate(),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?week=2026-W47")  # the week of 18 November
    assert Absence.objects.filter(reservation__in=chosen, status="declared").count() == 4


def test_a_certificate_added_after_declaring_goes_to_every_day_declared_together(
    logged_in, portal, two_units, settings
):
    world = two_units
    chosen = _declarable(world)
    absence_services.absences_declare(
        family=world.family,
        reservation_ids=[reservation.pk for reservation in chosen],
        user=world.guardian.user,
        reason="illness",
        now=NOW,
    )
    first = chosen[0]
    detail_url = url(portal, "reservation_detail", reservation_id=first.pk)
    add_url = url(portal, "absence_certificate_add", reservation_id=first.pk)
    assert add_url in logged_in.get(detail_url).content.decode()

    response = logged_in.post(add_url, {"certificate": certificate("certificat.pdf")})
    assert response.status_code == 302 and response["Location"] == detail_url
    absences = list(Absence.objects.filter(reservation__in=chosen))
    assert all(absence.certificate for absence in absences)
    assert len({absence.certificate.name for absence in absences}) == 1
    assert len(private_files(settings)) == 1
    assert add_url not in logged_in.get(detail_url).content.decode()

    # A second certificate is refused: nothing more stored.
    logged_in.post(add_url, {"certificate": certificate("autre.pdf")})
    assert len(private_files(settings)) == 1
    assert {absence.original_name for absence in Absence.objects.all()} == {"certificat.pdf"}


def test_a_certificate_cannot_be_added_once_staff_decided(two_units):
    world = two_units
    (absence,) = absence_services.absences_declare(
        family=world.family,
        reservation_ids=[world.booked[(world.unit.pk, WEDNESDAY)].pk],
        user=world.guardian.user,
        reason="illness",
        now=NOW,
    )
    absence_services.absence_bill(absence_id=absence.pk, actor=None, note="Sans certificat")
    with pytest.raises(ReservationError):
        absence_services.absence_certificate_add(
            family=world.family,
            absence_id=absence.pk,
            user=world.guardian.user,
            certificate=certificate(),
            now=NOW,
        )


def test_a_day_with_an_absence_declared_is_not_offered_for_cancellation(
    logged_in, portal, two_units
):
    world = two_units
    reservation = world.booked[(world.unit.pk, WEDNESDAY)]
    absence_services.absence_declare(
        family=world.family,
        reservation_id=reservation.pk,
        user=world.guardian.user,
        reason="illness",
        now=NOW,
    )
    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    assert response.context["detail"].cancel_mode == ""
    content = response.content.decode()
    assert url(portal, "reservation_cancel", reservation_id=reservation.pk) not in content
    with pytest.raises(ReservationError):
        basket_services.basket_add_cancellation(
            family=world.family,
            reservation_id=reservation.pk,
            user=world.guardian.user,
            now=NOW,
        )

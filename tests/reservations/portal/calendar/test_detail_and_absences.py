"""« Mon calendrier »: a reservation's detail and actions (cancel through the basket,
withdraw) and absences with a certificate."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from core.french import file_size
from reservations.choices import ReservationStatus as S
from reservations.models import (
    Absence,
    BasketItem,
)
from reservations.selectors.calendar import CellState
from reservations.services import booking
from tests import factories

from ...conftest import NOW, PARIS, WEDNESDAY
from .conftest import (
    DEC_2,
    PDF,
    book,
    cells_by_day,
    private_files,
    url,
)

pytestmark = pytest.mark.django_db


# --- Detail and cancellation --------------------------------------------------------------


def test_the_detail_shows_the_deadline_the_history_and_the_receipt(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    content = response.content.decode()
    detail = response.context["detail"]
    assert detail.cancellation_deadline == datetime.datetime(2026, 11, 30, 8, 30, tzinfo=PARIS)
    assert not detail.is_late and detail.cancel_mode == "basket"
    assert not detail.can_declare_absence
    assert url(portal, "reservation_cancel", reservation_id=reservation.pk) in content
    assert url(portal, "absence_declare", reservation_id=reservation.pk) not in content
    assert 'data-status="accepted"' in content
    assert "12,20" in content
    (line,) = detail.history
    assert line.change == f"— → {S.ACCEPTED.label}"
    assert line.by == world.guardian.user.get_full_name()
    order = reservation.order_lines.get().order
    assert url(portal, "order_detail", order_id=order.pk) in content


def test_staff_are_named_by_their_service_in_the_history(logged_in, portal, world):
    world.activity.booking_validation = "staff"
    world.activity.save()
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    staff = factories.UserFactory(is_staff=True, first_name="Agnès", last_name="Agent")
    booking.reservation_accept(reservation_id=reservation.pk, actor=staff, now=NOW)

    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    history = response.context["detail"].history
    assert [line.change for line in history] == [
        f"— → {S.REQUESTED.label}",
        f"{S.REQUESTED.label} → {S.ACCEPTED.label}",
    ]
    assert "Agnès" not in response.content.decode()
    assert history[1].by != history[0].by


def test_cancelling_a_validated_day_puts_it_in_the_basket(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]

    response = logged_in.post(url(portal, "reservation_cancel", reservation_id=reservation.pk))

    assert response.status_code == 302
    assert response["Location"] == url(portal, "basket")
    item = BasketItem.objects.get(family=world.family)
    assert (item.action, item.day, item.unit_id) == ("cancel", DEC_2, world.unit.pk)
    reservation.refresh_from_db()
    assert reservation.status == S.ACCEPTED  # until the basket is submitted
    calendar = logged_in.get(url(portal, "calendar"), {"month": "2026-12"})
    assert cells_by_day(calendar, DEC_2.replace(day=1))[DEC_2][0] == CellState.CANCEL_IN_BASKET
    detail = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))
    assert detail.context["detail"].cancellation_in_basket
    assert url(portal, "reservation_cancel", reservation_id=reservation.pk) not in (
        detail.content.decode()
    )


def test_a_waiting_entry_is_withdrawn_at_once(logged_in, portal, world):
    other, other_guardian, (other_child,) = world.add_family()
    book(world, other, other_child, other_guardian, [DEC_2])
    waiting = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    assert waiting.status == S.WAITING
    detail_url = url(portal, "reservation_detail", reservation_id=waiting.pk)
    assert logged_in.get(detail_url).context["detail"].cancel_mode == "direct"

    response = logged_in.post(url(portal, "reservation_cancel", reservation_id=waiting.pk))

    assert response.status_code == 302 and response["Location"] == detail_url
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED
    assert not BasketItem.objects.exists()
    assert waiting.events.last().to_status == S.CANCELLED


def test_cancelling_a_past_day_says_why_on_the_detail_page(logged_in, portal, world, clock):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    clock.now = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=PARIS)

    response = logged_in.post(
        url(portal, "reservation_cancel", reservation_id=reservation.pk), follow=True
    )

    assert response.redirect_chain[-1][0] == url(
        portal, "reservation_detail", reservation_id=reservation.pk
    )
    (message,) = list(response.context["messages"])
    assert message.level_tag == "error"
    assert not BasketItem.objects.exists()


# --- Absences -------------------------------------------------------------------------


def test_an_absence_after_the_deadline_with_a_medical_certificate(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    detail_url = url(portal, "reservation_detail", reservation_id=reservation.pk)
    detail = logged_in.get(detail_url)
    assert detail.context["detail"].is_late  # Monday 10:00, after Monday 08:30
    assert detail.context["detail"].can_declare_absence
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)
    assert form_url in detail.content.decode()
    assert logged_in.get(form_url).status_code == 200

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "comment": "Fièvre",
            "certificate": SimpleUploadedFile("certificat médical.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302 and response["Location"] == detail_url
    absence = Absence.objects.get(reservation=reservation)
    assert (absence.reason, absence.status, absence.comment) == ("illness", "declared", "Fièvre")
    assert absence.original_name == "certificat médical.pdf"
    content = logged_in.get(detail_url).content.decode()
    certificate_url = url(portal, "absence_certificate", absence_id=absence.pk)
    assert certificate_url in content
    download = logged_in.get(certificate_url)
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    calendar = logged_in.get(url(portal, "calendar"), {"month": "2026-11"})
    assert cells_by_day(calendar, datetime.date(2026, 11, 1))[WEDNESDAY][0] == (
        CellState.ABSENCE_DECLARED
    )


def test_an_absence_before_the_deadline_is_refused_and_nothing_is_saved(
    logged_in, portal, world, settings
):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "certificate": SimpleUploadedFile("certificat.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert 'role="alert"' in response.content.decode()
    assert not Absence.objects.exists()
    assert private_files(settings) == []


def test_a_certificate_over_the_familys_quota_is_refused_next_to_its_field(
    logged_in, portal, world, settings
):
    settings.FAMILY_STORAGE_QUOTA_MB = 0
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {
            "reason": "illness",
            "certificate": SimpleUploadedFile("certificat.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["certificate"] == [
        gettext(
            "This file does not fit in your family's storage space: %(used)s of "
            "%(quota)s are already used. Please contact the service."
        )
        % {"used": file_size(0), "quota": file_size(0)}
    ]
    assert 'id="id_certificate_error"' in response.content.decode()
    assert not Absence.objects.exists()
    assert private_files(settings) == []


def test_the_absence_form_says_what_is_wrong_next_to_each_field(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [WEDNESDAY])[WEDNESDAY]
    form_url = url(portal, "absence_declare", reservation_id=reservation.pk)

    response = logged_in.post(
        form_url,
        {"certificate": SimpleUploadedFile("photo.pdf", b"<html>not a pdf</html>", "text/html")},
    )

    form = response.context["form"]
    assert set(form.errors) == {"reason", "certificate"}
    content = response.content.decode()
    assert 'id="id_reason_error"' in content and 'id="id_certificate_error"' in content
    assert not Absence.objects.exists()


def test_the_detail_writes_its_price_as_every_amount_of_the_portal(logged_in, portal, world):
    reservation = book(world, world.family, world.child, world.guardian, [DEC_2])[DEC_2]

    response = logged_in.get(url(portal, "reservation_detail", reservation_id=reservation.pk))

    assert "<dd>12,20\u00a0€</dd>" in response.content.decode()

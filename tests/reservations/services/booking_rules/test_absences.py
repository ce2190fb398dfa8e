"""The booking rules: absences between the cancellation deadline and the delay, and their
certificates.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import UploadError
from reservations.errors import ReservationError
from reservations.models import (
    Absence,
)
from reservations.services import absences
from tests.files import pdf_bytes

from ...conftest import make_world
from .conftest import HOURS_48, book, paris, rule

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

"""RGPD: account requests refused or never decided go after their retention period, with
the documents sent with them (rows and files); accepted requests' documents stay, they are
the family's supporting documents."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from portal_features.models import SignupAttachment, SignupRequest, SupportingDocument
from portal_features.signup.retention import signup_requests_purge
from portal_features.signup.services import (
    signup_request_accept,
    signup_request_refuse,
    signup_request_submit,
)
from tests.factories import DocumentTypeFactory, UserFactory
from tests.files import pdf_bytes

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def staff(db):
    return UserFactory(email="agent@mairie.example.fr", is_staff=True)


@pytest.fixture
def vaccinations(db):
    return DocumentTypeFactory(name="Vaccinations", scope="child")


def submit(email, document_type, *, now=SENT):
    data = {
        "primary_guardian": {
            "civility": "mme",
            "last_name": "LEROY",
            "first_name": "Sophie",
            "role": "mother",
            "email": email,
            "phone_mobile": "06 45 67 89 01",
        },
        "second_guardian": None,
        "address": {"address_line": "8 allée des Tilleuls", "postal_code": "45000", "city": "X"},
        "children": [
            {"last_name": "LEROY", "first_name": "Jules", "birth_date": "2019-04-18", "sex": "m"}
        ],
    }
    upload = SimpleUploadedFile("carnet.pdf", pdf_bytes(), content_type="application/pdf")
    return signup_request_submit(
        data=data, email=email, documents=[(0, document_type, upload)], now=now
    )


def stored(signup_request):
    return [a.file.name for a in signup_request.attachments.all()]


def exists(name):
    return SignupAttachment._meta.get_field("file").storage.exists(name)


def test_an_undecided_request_goes_with_its_files_after_six_months(vaccinations, settings):
    old = submit("ancienne@example.fr", vaccinations)
    recent = submit("recente@example.fr", vaccinations, now=SENT + 30 * DAY)
    old_files, recent_files = stored(old), stored(recent)
    assert old_files and all(exists(name) for name in old_files)

    assert signup_requests_purge(now=SENT + 182 * DAY) == 0
    assert signup_requests_purge(now=SENT + 183 * DAY) == 1

    assert not SignupRequest.objects.filter(pk=old.pk).exists()
    assert not SignupAttachment.objects.filter(signup_request_id=old.pk).exists()
    assert not any(exists(name) for name in old_files)
    # The younger request waits for staff, its document with it.
    assert SignupRequest.objects.filter(pk=recent.pk).exists()
    assert all(exists(name) for name in recent_files)
    # The household may ask again.
    assert submit("ancienne@example.fr", vaccinations, now=SENT + 184 * DAY) is not None


def test_a_refused_request_goes_three_months_after_the_refusal(vaccinations, staff):
    refused = submit("refusee@example.fr", vaccinations)
    signup_request_refuse(request=refused, actor=staff, reason="Hors commune", now=SENT + DAY)

    assert signup_requests_purge(now=SENT + 90 * DAY) == 0
    assert signup_requests_purge(now=SENT + 91 * DAY) == 1
    assert not SignupRequest.objects.filter(pk=refused.pk).exists()


def test_files_left_by_a_refusal_go_with_the_request(vaccinations, staff):
    """A refusal deletes the files once it commits; should that fail (or a request be
    refused before it did), the purge still deletes what its rows name."""
    refused = submit("refusee@example.fr", vaccinations)
    names = stored(refused)
    SignupRequest.objects.filter(pk=refused.pk).update(status="refused", decided_at=SENT + DAY)

    assert signup_requests_purge(now=SENT + 91 * DAY) == 1
    assert not any(exists(name) for name in names)
    assert not SignupAttachment.objects.exists()


def test_accepted_requests_and_their_documents_stay(vaccinations, staff, settings):
    accepted = submit("acceptee@example.fr", vaccinations)
    family = signup_request_accept(request=accepted, actor=staff, now=SENT + DAY)
    document = SupportingDocument.objects.get(family=family)

    assert signup_requests_purge(now=SENT + 3650 * DAY) == 0
    assert SignupRequest.objects.filter(pk=accepted.pk).exists()
    assert exists(document.file.name)


def test_the_periods_are_settings_and_the_daily_command_runs_it(vaccinations, settings):
    settings.SIGNUP_PENDING_KEEP_DAYS = 30
    month_ago = timezone.now() - 31 * DAY
    pending = submit("ancienne@example.fr", vaccinations, now=month_ago)
    names = stored(pending)
    assert signup_requests_purge(now=month_ago + 29 * DAY) == 0
    out = io.StringIO()

    call_command("purge_private_files", stdout=out)

    assert not SignupRequest.objects.exists()
    assert not any(exists(name) for name in names)
    assert "1 account request(s)" in out.getvalue()

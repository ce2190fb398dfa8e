"""One parent cannot fill the storage or flood the servers: a storage quota per family, an
hourly upload rate, and refused documents' files deleted after a grace period."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.errors import UploadError
from core.french import file_size
from portal_features.documents.services import (
    supporting_document_refuse,
    supporting_document_upload,
)
from portal_features.messaging.services import message_post_by_staff, thread_start
from portal_features.models import (
    DocumentType,
    FamilyEvent,
    Message,
    MessageAttachment,
    Service,
    SupportingDocument,
    Theme,
)
from portal_features.upload_limits import family_storage_used
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory, UserFactory
from tests.files import pdf_bytes
from tests.portal_features.portal.test_isolation import FamilyObjects

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
NOW = timezone.make_aware(datetime.datetime(2026, 9, 15, 10, 0))


@pytest.fixture
def guardian(db):
    return GuardianFactory(family=FamilyFactory(name="DUPONT"))


@pytest.fixture
def family(guardian):
    return guardian.family


@pytest.fixture
def domicile(db):
    return DocumentType.objects.create(
        name="Justificatif de domicile", scope="family", is_required=True
    )


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


@pytest.fixture
def theme(db):
    service = Service.objects.create(name="Centres de loisirs")
    return Theme.objects.create(service=service, name="Inscriptions")


def quota_message(*, used: int, quota: int) -> str:
    return _(
        "This file does not fit in your family's storage space: %(used)s of "
        "%(quota)s are already used. Please contact the service."
    ) % {"used": file_size(used), "quota": file_size(quota)}


def rate_message(*, count: int, minutes: int) -> str:
    return _(
        "Your family has sent %(count)d files in the last hour, the most allowed. "
        "Please try again in %(minutes)d min."
    ) % {"count": count, "minutes": minutes}


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def send(family, document_type, guardian, *, size=None, now=NOW, name="piece.pdf"):
    return supporting_document_upload(
        family=family,
        document_type=document_type,
        uploaded_file=SimpleUploadedFile(name, pdf_bytes(size=size)),
        user=guardian.user,
        now=now,
    )


# Storage quota -------------------------------------------------------------------------------


def test_the_quota_counts_every_file_the_family_sent_and_nothing_else(db):
    objects = FamilyObjects(FamilyFactory(name="DUPONT"))
    objects.absence.size = 300
    objects.absence.save()
    staff_reply = Message.objects.create(thread=objects.thread, body="Réponse", from_staff=True)
    MessageAttachment.objects.create(
        message=staff_reply,
        file=ContentFile(b"x" * 5000, name="reponse.pdf"),
        original_name="reponse.pdf",
        content_type="application/pdf",
        size=5000,
    )
    stranger = FamilyObjects(FamilyFactory(name="MARTIN"))

    used = family_storage_used(family=objects.family)

    # The document, the family's own attachment and the certificate; not staff's reply.
    assert used == objects.document.size + objects.attachment.size + 300
    assert family_storage_used(family=stranger.family) == (
        stranger.document.size + stranger.attachment.size + stranger.absence.size
    )


def test_an_upload_over_the_quota_is_refused_and_nothing_is_kept(
    family, domicile, guardian, settings
):
    settings.FAMILY_STORAGE_QUOTA_MB = 1
    send(family, domicile, guardian, size=400_000)
    send(family, domicile, guardian, size=400_000)
    files_before = private_files(settings)

    with pytest.raises(UploadError) as refused:
        send(family, domicile, guardian, size=400_000)

    assert refused.value.message == quota_message(used=800_000, quota=MB)
    assert SupportingDocument.objects.count() == 2
    assert private_files(settings) == files_before
    # What still fits is accepted.
    send(family, domicile, guardian, size=200_000)


def test_the_checklist_shows_the_quota_refusal_next_to_the_file(
    client, portal, family, domicile, guardian, settings
):
    settings.FAMILY_STORAGE_QUOTA_MB = 1
    send(family, domicile, guardian, size=900_000)
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": str(domicile.pk), "file": SimpleUploadedFile("b.pdf", pdf_bytes(size=200_000))},
    )

    html = response.content.decode()
    assert response.status_code == 200
    error = html[html.index('id="id_file_error"') :][:600]
    assert escape(quota_message(used=900_000, quota=MB)) in error
    assert SupportingDocument.objects.count() == 1


def test_attachments_over_the_quota_are_refused_next_to_the_field_that_overflows(
    client, portal, family, guardian, theme, settings
):
    settings.FAMILY_STORAGE_QUOTA_MB = 1
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "messages/new/",
        {
            "theme": theme.pk,
            "subject": "Pièces",
            "body": "Voici les pièces.",
            "attachment_1": SimpleUploadedFile("a.pdf", pdf_bytes(size=600_000)),
            "attachment_2": SimpleUploadedFile("b.pdf", pdf_bytes(size=600_000)),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_attachment_1_error"' not in html
    error = html[html.index('id="id_attachment_2_error"') :][:600]
    assert escape(quota_message(used=0, quota=MB)) in error
    assert not family.threads.exists()
    assert private_files(settings) == []


def test_staff_attachments_are_neither_counted_nor_refused(family, guardian, theme, settings):
    settings.FAMILY_STORAGE_QUOTA_MB = 1
    settings.FAMILY_UPLOADS_PER_HOUR = 1
    thread = thread_start(
        family=family,
        service=theme.service,
        theme=theme,
        subject="Question",
        body="Bonjour",
        attachments=[SimpleUploadedFile("a.pdf", pdf_bytes(size=900_000))],
        user=guardian.user,
        now=NOW,
    )

    message_post_by_staff(
        thread=thread,
        body="Voici le règlement",
        attachments=[SimpleUploadedFile("r.pdf", pdf_bytes(size=900_000))] * 1,
        actor=UserFactory(is_staff=True),
        now=NOW,
    )

    assert MessageAttachment.objects.count() == 2
    assert family_storage_used(family=family) == 900_000


# Hourly rate ---------------------------------------------------------------------------------


def test_twenty_files_an_hour_then_a_clear_wait(family, domicile, guardian, settings):
    for minute in range(20):
        send(family, domicile, guardian, now=NOW + datetime.timedelta(minutes=minute))
    files_before = private_files(settings)

    with pytest.raises(UploadError) as refused:
        send(family, domicile, guardian, now=NOW + datetime.timedelta(minutes=30))

    # The first of the twenty leaves the window at 11:00, thirty minutes later.
    assert refused.value.message == rate_message(count=20, minutes=30)
    assert SupportingDocument.objects.count() == 20
    assert private_files(settings) == files_before
    # An hour after the first, one more fits; not two.
    send(family, domicile, guardian, now=NOW + datetime.timedelta(minutes=60, seconds=1))
    with pytest.raises(UploadError):
        send(family, domicile, guardian, now=NOW + datetime.timedelta(minutes=60, seconds=2))


def test_the_rate_is_per_family(family, domicile, guardian, settings):
    settings.FAMILY_UPLOADS_PER_HOUR = 1
    other = GuardianFactory(family=FamilyFactory(name="MARTIN"))
    send(family, domicile, guardian)

    send(other.family, domicile, other)

    with pytest.raises(UploadError):
        send(family, domicile, guardian)


def test_the_rate_refusal_is_shown_next_to_the_attachment_over_it(
    client, portal, family, domicile, guardian, theme, settings
):
    settings.FAMILY_UPLOADS_PER_HOUR = 3
    send(family, domicile, guardian, now=timezone.now())
    send(family, domicile, guardian, now=timezone.now())
    files_before = private_files(settings)
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "messages/new/",
        {
            "theme": theme.pk,
            "subject": "Pièces",
            "body": "Voici les pièces.",
            "attachment_1": SimpleUploadedFile("a.pdf", pdf_bytes()),
            "attachment_2": SimpleUploadedFile("b.pdf", pdf_bytes()),
        },
    )

    html = response.content.decode()
    assert 'id="id_attachment_1_error"' not in html
    error = html[html.index('id="id_attachment_2_error"') :][:600]
    assert escape(rate_message(count=2, minutes=60)) in error
    assert not family.threads.exists()
    assert private_files(settings) == files_before


def test_more_files_at_once_than_the_hourly_rate_are_refused(family, guardian, theme, settings):
    settings.FAMILY_UPLOADS_PER_HOUR = 2

    with pytest.raises(UploadError) as refused:
        thread_start(
            family=family,
            service=theme.service,
            theme=theme,
            subject="Pièces",
            body="Voici",
            attachments=[SimpleUploadedFile(f"{n}.pdf", pdf_bytes()) for n in range(3)],
            user=guardian.user,
        )

    assert refused.value.index == 2
    assert not family.threads.exists()


# Refused documents' files --------------------------------------------------------------------


@pytest.fixture
def refused_document(family, domicile, guardian):
    document = send(family, domicile, guardian, size=300_000)
    return supporting_document_refuse(
        document=document, actor=UserFactory(is_staff=True), reason="Illisible", now=NOW
    )


def purge(now):
    from portal_features.documents.services import supporting_documents_purge_refused

    return supporting_documents_purge_refused(now=now)


def test_a_refused_documents_file_is_kept_30_days(refused_document, settings):
    path = Path(refused_document.file.path)

    assert purge(NOW + datetime.timedelta(days=29, hours=23)) == 0

    refused_document.refresh_from_db()
    assert path.exists() and refused_document.file


def test_then_the_file_is_deleted_and_the_row_and_its_history_stay(
    client, portal, refused_document, family, guardian, settings
):
    path = Path(refused_document.file.path)
    later = NOW + datetime.timedelta(days=30)

    assert purge(later) == 1

    refused_document.refresh_from_db()
    assert not path.exists()
    assert not refused_document.file and refused_document.file_deleted_at == later
    assert refused_document.status == SupportingDocument.Status.REFUSED
    assert refused_document.refusal_reason == "Illisible"
    assert family.events.filter(
        action=FamilyEvent.Action.REFUSED, data__document_id=refused_document.pk
    ).exists()
    assert family.events.filter(
        action=FamilyEvent.Action.CHANGED, data__document_id=refused_document.pk
    ).exists()
    assert family_storage_used(family=family) == 0
    client.force_login(guardian.user)
    assert client.get(f"{portal.url}documents/{refused_document.pk}/download/").status_code == 404
    page = client.get(portal.url + "documents/").content.decode()
    assert f"documents/{refused_document.pk}/download/" not in page
    # A second run has nothing left to do.
    assert purge(later + datetime.timedelta(days=1)) == 0


def test_pending_and_valid_documents_are_never_purged(family, domicile, guardian):
    pending = send(family, domicile, guardian)

    assert purge(NOW + datetime.timedelta(days=400)) == 0

    pending.refresh_from_db()
    assert Path(pending.file.path).exists()


def test_the_daily_command_purges_refused_files(refused_document, settings):
    path = Path(refused_document.file.path)
    SupportingDocument.objects.filter(pk=refused_document.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = io.StringIO()

    call_command("purge_private_files", stdout=out)

    assert not path.exists()
    assert "1 " in out.getvalue()


def test_the_grace_period_is_a_setting(refused_document, settings):
    settings.REFUSED_DOCUMENT_FILE_DAYS = 7

    assert purge(NOW + datetime.timedelta(days=7)) == 1

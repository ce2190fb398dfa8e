"""« Mes données »: the family downloads all its data, and nothing of another household's."""

import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from portal_features.alerts.kinds import AlertKind
from portal_features.errors import PortalError
from portal_features.models import (
    AuthorizedPerson,
    Consent,
    ConsentType,
    DataExport,
    DocumentType,
    FamilyEvent,
    HealthRecord,
    Link,
    Message,
    MessageAttachment,
    Notification,
    Service,
    SupportingDocument,
    Theme,
    Thread,
    Vaccination,
)
from portal_features.rgpd.services import data_export_build, data_export_request
from tests.factories import ChildFactory, FamilyFactory, GuardianFactory, PortalPageFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%the family's attestation\n"
PNG = b"\x89PNG\r\n\x1a\nnot really an image, bytes are what matter"


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def document(family, name, content, *, child=None, doc_type=None):
    doc_type = (
        doc_type
        or DocumentType.objects.get_or_create(
            name="Justificatif de domicile", defaults={"scope": "family"}
        )[0]
    )
    return SupportingDocument.objects.create(
        family=family,
        child=child,
        document_type=doc_type,
        file=ContentFile(content, name=name),
        original_name=name,
        content_type="application/pdf" if name.endswith(".pdf") else "image/png",
        size=len(content),
    )


@pytest.fixture
def households():
    """DUPONT (the mother's) and MARTIN (the father's) share Léo; each enters its own data."""
    dupont = FamilyFactory(name="DUPONT", number="202600042")
    martin = FamilyFactory(name="MARTIN", number="202600099")
    mother = GuardianFactory(family=dupont, first_name="Claire", email="claire@example.fr")
    GuardianFactory(family=martin, first_name="Bruno", last_name="MARTIN")
    leo = ChildFactory(family=dupont, first_name="Léo")
    leo.memberships.create(family=martin, custody_notes="Semaines impaires chez le père")
    ChildFactory(family=dupont, first_name="Inès")
    record = HealthRecord.objects.create(child=leo, allergies="Arachides")
    Vaccination.objects.create(health_record=record, vaccine="DTP", date="2019-01-10")
    Consent.objects.create(
        child=leo, consent_type=ConsentType.objects.create(name="Droit à l'image"), granted=True
    )
    AuthorizedPerson.objects.create(
        family=dupont, child=leo, last_name="DUPONT", first_name="Mamie", phone="0612345678"
    )
    AuthorizedPerson.objects.create(
        family=martin, child=leo, last_name="MARTIN", first_name="Tonton", phone="0698765432"
    )
    document(dupont, "attestation.pdf", PDF)
    document(dupont, "attestation.pdf", PDF + b"second")  # same name: de-duplicated
    document(martin, "secret-martin.pdf", b"%PDF-1.4 martin", child=leo)
    service = Service.objects.create(name="Enfance")
    thread = Thread.objects.create(
        family=dupont,
        service=service,
        theme=Theme.objects.create(service=service, name="Cantine"),
        subject="Menu sans porc",
    )
    message = Message.objects.create(thread=thread, author=mother.user, body="Bonjour, Léo…")
    MessageAttachment.objects.create(
        message=message,
        file=ContentFile(PNG, name="certificat.png"),
        original_name="certificat.png",
        content_type="image/png",
        size=len(PNG),
    )
    Notification.objects.create(family=dupont, kind="new_message", title="Nouveau message")
    return {"dupont": dupont, "martin": martin, "mother": mother}


def download(client, portal, guardian):
    """Ask for the export (built at once by the tests' immediate task backend), then fetch
    the archive from the link on « Mes données »."""
    client.force_login(guardian.user)
    asked = client.post(portal.url + "my-data/")
    assert asked.status_code == 302
    export = DataExport.objects.get(family=guardian.family)
    link = f"{portal.url}my-data/{export.pk}/download/"
    assert link in client.get(portal.url + "my-data/").content.decode()
    response = client.get(link)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return response, archive


def test_the_page_explains_the_export_and_offers_the_button(client, portal, households):
    client.force_login(households["mother"].user)

    response = client.get(portal.url + "my-data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "data.json" in html
    assert f'action="{portal.url}my-data/"' in html and 'method="post"' in html


def test_the_export_is_a_zip_with_the_family_its_children_and_its_files(client, portal, households):
    response, archive = download(client, portal, households["mother"])

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="portail-famille-202600042.zip"'
    assert archive.testzip() is None
    data = json.loads(archive.read("data.json"))
    assert data["family"]["number"] == "202600042"
    assert {child["first_name"] for child in data["children"]} == {"Léo", "Inès"}
    leo = next(child for child in data["children"] if child["first_name"] == "Léo")
    assert leo["health_record"]["allergies"] == "Arachides"
    assert leo["health_record"]["vaccinations"] == [{"vaccine": "DTP", "date": "2019-01-10"}]
    assert leo["consents"][0]["granted"] is True
    assert data["conversations"][0]["messages"][0]["body"] == "Bonjour, Léo…"
    assert data["alerts"][0]["title"] == "Nouveau message"
    # Every file, byte for byte, under its original name, the second one renamed.
    files = {doc["file"] for doc in data["supporting_documents"]}
    assert files == {"files/documents/attestation.pdf", "files/documents/attestation (2).pdf"}
    contents = {archive.read(name) for name in files}
    assert contents == {PDF, PDF + b"second"}
    attachment = data["conversations"][0]["messages"][0]["attachments"][0]
    assert attachment["file"] == "files/messages/certificat.png"
    assert archive.read("files/messages/certificat.png") == PNG


def test_the_other_household_of_a_shared_child_is_left_out(client, portal, households):
    _, archive = download(client, portal, households["mother"])

    raw = archive.read("data.json").decode()
    data = json.loads(raw)
    leo = next(child for child in data["children"] if child["first_name"] == "Léo")
    assert [person["first_name"] for person in leo["authorized_persons"]] == ["Mamie"]
    assert leo["custody_notes"] == ""
    assert [guardian["first_name"] for guardian in data["guardians"]] == ["Claire"]
    for secret in ("MARTIN", "Tonton", "Bruno", "202600099", "secret-martin", "impaires"):
        assert secret not in raw
    assert not any("secret-martin" in name for name in archive.namelist())
    assert all(b"martin" not in archive.read(name) for name in archive.namelist())


def test_the_export_is_recorded_in_the_family_file(client, portal, households):
    download(client, portal, households["mother"])

    event = FamilyEvent.objects.get(family=households["dupont"])
    assert event.action == FamilyEvent.Action.EXPORTED
    assert event.actor == households["mother"].user
    assert not FamilyEvent.objects.filter(family=households["martin"]).exists()


def test_visitors_are_sent_to_log_in(client, portal):
    response = client.post(portal.url + "my-data/")

    assert response.status_code == 302
    assert "/account/login/" in response.url
    assert not FamilyEvent.objects.exists()


def test_the_files_history_is_exported_with_staff_named_by_their_role(client, portal, households):
    mother = households["mother"]
    staff = GuardianFactory().user  # a login that is no guardian of this family
    FamilyEvent.objects.create(
        family=mother.family, actor=staff, action="viewed", description="Dossier consulté"
    )
    FamilyEvent.objects.create(
        family=mother.family, actor=mother.user, action="changed", description="Adresse"
    )

    response, archive = download(client, portal, mother)

    history = json.loads(archive.read("data.json"))["history"]
    by_description = {line["description"]: line["by"] for line in history}
    assert by_description["Adresse"] == mother.full_name
    assert by_description["Dossier consulté"] == "Agent de la commune"
    assert staff.email not in archive.read("data.json").decode()


# The archive is built by a task, one at a time, and fetched by an expiring link -------------


@pytest.fixture
def queued_tasks(settings):
    """Tasks are queued, not run: what a request does when a worker builds the archive."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


def private_files(settings) -> list:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_asking_queues_a_task_and_builds_nothing_in_the_request(
    client, portal, households, queued_tasks, settings
):
    mother = households["mother"]
    client.force_login(mother.user)
    files_before = private_files(settings)

    response = client.post(portal.url + "my-data/")

    assert response.status_code == 302
    export = DataExport.objects.get(family=households["dupont"])
    assert export.status == DataExport.Status.PENDING and not export.file
    assert private_files(settings) == files_before  # no archive built in the request
    [queued] = queued_tasks.results
    assert queued.task.name == "data_export_build_task"
    assert queued.kwargs == {"export_id": export.pk}
    page = client.get(portal.url + "my-data/").content.decode()
    assert _("Being prepared.") in page
    assert f'action="{portal.url}my-data/"' not in page  # no second request meanwhile


def test_a_second_request_while_one_is_pending_says_so_and_creates_nothing(
    client, portal, households, queued_tasks
):
    client.force_login(households["mother"].user)
    client.post(portal.url + "my-data/")

    again = client.post(portal.url + "my-data/")

    assert again.status_code == 200
    assert (
        escape(_("Your data is already being prepared. You will get an alert when it is ready."))
        in again.content.decode()
    )
    assert DataExport.objects.count() == 1
    assert len(queued_tasks.results) == 1


def test_a_running_export_also_blocks_a_second_one(households, queued_tasks):
    export = data_export_request(family=households["dupont"], user=households["mother"].user)
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING)

    with pytest.raises(PortalError):
        data_export_request(family=households["dupont"], user=households["mother"].user)

    assert DataExport.objects.count() == 1


def test_the_database_refuses_two_exports_in_progress_for_one_family(households):
    DataExport.objects.create(family=households["dupont"], status=DataExport.Status.PENDING)

    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(family=households["dupont"], status=DataExport.Status.RUNNING)

    # Another family, or a finished export, is no obstacle.
    DataExport.objects.create(family=households["martin"], status=DataExport.Status.PENDING)
    DataExport.objects.create(family=households["dupont"], status=DataExport.Status.READY)


def test_the_worker_builds_the_archive_and_the_family_is_alerted_and_emailed(
    client, portal, households, django_capture_on_commit_callbacks, settings
):
    mother = households["mother"]
    export = DataExport.objects.create(family=households["dupont"], requested_by=mother.user)

    with django_capture_on_commit_callbacks(execute=True):
        built = data_export_build(export_id=export.pk)

    assert built.status == DataExport.Status.READY
    assert built.expires_at == built.finished_at + datetime.timedelta(hours=24)
    [stored] = [path for path in private_files(settings) if path.parent.name == "exports"]
    assert stored.name.endswith(".zip") and built.size == stored.stat().st_size
    alert = Notification.objects.get(family=households["dupont"], kind=AlertKind.DATA_EXPORT_READY)
    assert alert.link == Link("rgpd:export")
    assert f"http://testserver{portal.url}my-data/" in mail.outbox[0].body
    [email] = mail.outbox
    assert email.to == [mother.user.email] and alert.title in email.subject
    # Running the task twice builds nothing more.
    assert data_export_build(export_id=export.pk).file.name == built.file.name
    assert Notification.objects.filter(kind=AlertKind.DATA_EXPORT_READY).count() == 1


def test_the_database_backend_and_its_worker_build_the_export(
    client, portal, households, settings, monkeypatch
):
    """Production's path: the request stores the task, `manage.py db_worker` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Between tasks the worker closes the connections it deems stale, the test's own
    # (inside its transaction) included on PostgreSQL.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client.force_login(households["mother"].user)

    client.post(portal.url + "my-data/")
    export = DataExport.objects.get()
    assert export.status == DataExport.Status.PENDING

    call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "test-worker")

    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    response = client.get(f"{portal.url}my-data/{export.pk}/download/")
    assert response.status_code == 200


def test_the_download_is_for_the_family_only_with_a_safe_name(client, portal, households):
    response, _archive = download(client, portal, households["mother"])
    export = DataExport.objects.get()
    link = f"{portal.url}my-data/{export.pk}/download/"

    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(households["martin"].guardians.get().user)
    assert client.get(link).status_code == 404


def test_the_link_ends_after_24_hours_and_the_purge_deletes_the_archive(
    client, portal, households, queued_tasks, settings
):
    mother = households["mother"]
    asked_at = timezone.now() - datetime.timedelta(hours=25)
    export = data_export_request(family=households["dupont"], user=mother.user, now=asked_at)
    export = data_export_build(export_id=export.pk, now=asked_at)
    stored = Path(export.file.path)
    assert stored.exists()
    client.force_login(mother.user)
    link = f"{portal.url}my-data/{export.pk}/download/"

    assert client.get(link).status_code == 404
    assert link not in client.get(portal.url + "my-data/").content.decode()

    call_command("purge_private_files", stdout=io.StringIO())

    export.refresh_from_db()
    assert export.status == DataExport.Status.EXPIRED and not export.file
    assert not stored.exists()


def test_within_24_hours_the_link_works_and_the_purge_keeps_it(
    client, portal, households, queued_tasks
):
    mother = households["mother"]
    asked_at = timezone.now() - datetime.timedelta(hours=23)
    export = data_export_request(family=households["dupont"], user=mother.user, now=asked_at)
    export = data_export_build(export_id=export.pk, now=asked_at)

    call_command("purge_private_files", stdout=io.StringIO())

    client.force_login(mother.user)
    assert client.get(f"{portal.url}my-data/{export.pk}/download/").status_code == 200


def test_a_failed_build_leaves_no_file_and_the_family_may_ask_again(
    households, queued_tasks, settings, monkeypatch
):
    import portal_features.rgpd.services as services

    def broken(**kwargs):
        raise OSError("disk full")

    files_before = private_files(settings)
    export = data_export_request(family=households["dupont"], user=households["mother"].user)
    monkeypatch.setattr(services, "family_export_data", broken)

    with pytest.raises(OSError):
        data_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED and not export.file
    assert private_files(settings) == files_before
    data_export_request(family=households["dupont"], user=households["mother"].user)


def test_an_export_no_worker_finished_is_given_up_by_the_purge(households, queued_tasks):
    long_ago = timezone.now() - datetime.timedelta(hours=7)
    data_export_request(family=households["dupont"], user=None, now=long_ago)

    call_command("purge_private_files", stdout=io.StringIO())

    assert DataExport.objects.get().status == DataExport.Status.FAILED
    data_export_request(family=households["dupont"], user=None)

"""« Mes données »: the family downloads all its data, and nothing of another household's."""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile

from portal_features.models import (
    AuthorizedPerson,
    Consent,
    ConsentType,
    DocumentType,
    FamilyEvent,
    HealthRecord,
    Message,
    MessageAttachment,
    Notification,
    Service,
    SupportingDocument,
    Theme,
    Thread,
    Vaccination,
)
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
    client.force_login(guardian.user)
    response = client.post(portal.url + "my-data/")
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

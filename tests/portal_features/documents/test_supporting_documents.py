"""Supporting documents: families send them from the checklist, staff validate or refuse."""

import datetime
import os
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import UploadError
from core.uploads import MAX_UPLOAD_BYTES
from portal_features.alerts.kinds import AlertKind
from portal_features.documents import services
from portal_features.documents.selectors import (
    LineState,
    document_checklist,
    missing_required_documents,
)
from portal_features.documents.services import (
    supporting_document_refuse,
    supporting_document_upload,
    supporting_document_validate,
    supporting_documents_notify_expiring,
)
from portal_features.errors import PortalError
from portal_features.models import (
    DocumentType,
    FamilyEvent,
    Notification,
    SupportingDocument,
)
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    PortalPageFactory,
    UserFactory,
)
from tests.files import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
PNG = png_bytes()
TODAY = datetime.date(2026, 9, 15)
Status = SupportingDocument.Status


def upload(content=PDF, name="vaccins.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def guardian(db):
    guardian = GuardianFactory(family=FamilyFactory(name="DUPONT"))
    guardian.user.email = "claire.dupont@example.fr"
    guardian.user.save()
    guardian.consents_to_email = True
    guardian.save()
    return guardian


@pytest.fixture
def family(guardian):
    return guardian.family


@pytest.fixture
def child(family):
    return ChildFactory(family=family, first_name="Léa")


@pytest.fixture
def vaccinations(db):
    return DocumentType.objects.create(
        name="Vaccinations",
        scope=DocumentType.Scope.CHILD,
        is_required=True,
        default_validity_days=365,
        sort_order=1,
    )


@pytest.fixture
def domicile(db):
    return DocumentType.objects.create(
        name="Justificatif de domicile",
        scope=DocumentType.Scope.FAMILY,
        is_required=True,
        default_validity_days=90,
        sort_order=2,
    )


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def make_document(family, document_type, child=None, *, status=Status.PENDING, **fields):
    defaults = {}
    if status == Status.VALID:
        defaults = {"valid_from": TODAY - datetime.timedelta(days=10)}
    if status == Status.REFUSED:
        defaults = {"refusal_reason": "Illisible"}
    defaults.update(fields)
    return SupportingDocument.objects.create(
        family=family,
        child=child,
        document_type=document_type,
        file=ContentFile(PDF, name="piece.pdf"),
        original_name="piece.pdf",
        content_type="application/pdf",
        size=len(PDF),
        status=status,
        **defaults,
    )


# Uploads ---------------------------------------------------------------------------------


def test_a_pdf_of_exactly_6_mb_is_accepted(family, child, vaccinations, guardian, settings):
    content = pdf_bytes(size=MAX_UPLOAD_BYTES)

    document = supporting_document_upload(
        family=family,
        document_type=vaccinations,
        child=child,
        uploaded_file=upload(content),
        user=guardian.user,
    )

    assert document.size == MAX_UPLOAD_BYTES
    assert document.status == Status.PENDING
    assert document.content_type == "application/pdf"
    assert len(private_files(settings)) == 1
    assert FamilyEvent.objects.filter(family=family, action=FamilyEvent.Action.CREATED).exists()


@pytest.mark.parametrize(
    "content, name",
    [
        (pdf_bytes(size=MAX_UPLOAD_BYTES + 1), "big.pdf"),  # 6 MB + 1 byte
        (b"<html><body>%PDF-1.4</body></html>", "fake.pdf"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image.svg"),
        (b"", "empty.pdf"),
    ],
    ids=["6MB+1", "html-named-pdf", "svg", "empty"],
)
def test_refused_uploads_raise_in_french_and_leave_no_file(
    family, child, vaccinations, guardian, settings, content, name
):
    with pytest.raises(UploadError):
        supporting_document_upload(
            family=family,
            document_type=vaccinations,
            child=child,
            uploaded_file=upload(content, name),
            user=guardian.user,
        )

    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "C:\\Users\\x\\doc.pdf"])
def test_a_name_with_a_path_is_stored_under_a_random_name(
    family, child, vaccinations, guardian, settings, name
):
    document = supporting_document_upload(
        family=family,
        document_type=vaccinations,
        child=child,
        uploaded_file=upload(PDF, name),
        user=guardian.user,
    )

    assert document.original_name in ("passwd.pdf", "doc.pdf")
    stored = os.path.basename(document.file.name)
    assert stored not in ("passwd.pdf", "doc.pdf")
    assert document.file.name.startswith("documents/") and stored.endswith(".pdf")
    assert ".." not in document.file.name and "\\" not in document.file.name
    [path] = private_files(settings)
    assert path.read_bytes() == PDF


def test_another_familys_child_is_refused_and_no_file_is_left(
    family, vaccinations, guardian, settings
):
    stranger = ChildFactory(family=FamilyFactory(name="MARTIN"))

    with pytest.raises(PortalError):
        supporting_document_upload(
            family=family,
            document_type=vaccinations,
            child=stranger,
            uploaded_file=upload(),
            user=guardian.user,
        )

    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


def test_scope_must_match(family, child, vaccinations, domicile, guardian):
    with pytest.raises(PortalError):
        supporting_document_upload(
            family=family, document_type=vaccinations, uploaded_file=upload(), user=guardian.user
        )
    with pytest.raises(PortalError):
        supporting_document_upload(
            family=family,
            document_type=domicile,
            child=child,
            uploaded_file=upload(),
            user=guardian.user,
        )


def test_a_failure_after_the_file_is_written_removes_it(
    family, child, vaccinations, guardian, settings, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "family_event_record", broken)

    with pytest.raises(RuntimeError):
        supporting_document_upload(
            family=family,
            document_type=vaccinations,
            child=child,
            uploaded_file=upload(),
            user=guardian.user,
        )

    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


# Checklist -------------------------------------------------------------------------------


def test_checklist_states_on_a_fixed_day(family, vaccinations, domicile):
    children = {
        name: ChildFactory(family=family, first_name=name, birth_date=datetime.date(2015, 1, i))
        for i, name in enumerate(
            ["Missing", "Pending", "Valid", "Expiring", "Expired", "Refused"], 1
        )
    }
    make_document(family, vaccinations, children["Pending"])
    make_document(
        family,
        vaccinations,
        children["Valid"],
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=31),
    )
    make_document(
        family,
        vaccinations,
        children["Expiring"],
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    make_document(
        family,
        vaccinations,
        children["Expired"],
        status=Status.VALID,
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_until=TODAY - datetime.timedelta(days=1),
    )
    make_document(family, vaccinations, children["Refused"], status=Status.REFUSED)
    other_type = DocumentType.objects.create(name="Assurance", scope=DocumentType.Scope.FAMILY)
    other = make_document(family, other_type)

    checklist = document_checklist(family, today=TODAY)

    states = {
        (line.document_type.name, line.child and line.child.first_name): line.state
        for line in checklist.lines
    }
    assert states == {
        ("Justificatif de domicile", None): LineState.MISSING,
        ("Vaccinations", "Missing"): LineState.MISSING,
        ("Vaccinations", "Pending"): LineState.PENDING,
        ("Vaccinations", "Valid"): LineState.VALID,
        ("Vaccinations", "Expiring"): LineState.EXPIRING,
        ("Vaccinations", "Expired"): LineState.EXPIRED,
        ("Vaccinations", "Refused"): LineState.REFUSED,
    }
    # What to act on comes first.
    assert [line.state for line in checklist.lines][:2] == [LineState.MISSING, LineState.MISSING]
    assert checklist.other_documents == [other]
    valid_line = next(line for line in checklist.lines if line.state == LineState.VALID)
    assert "05/09/2026" in valid_line.validity and "16/10/2026" in valid_line.validity

    reasons = missing_required_documents(family, on=TODAY)
    assert len(reasons) == 5  # missing ×2, pending, expired, refused
    assert any("Vaccinations – Refused" in reason for reason in reasons)
    assert not any("Vaccinations – Valid" in reason for reason in reasons)
    assert not any("Expiring" in reason for reason in reasons)
    # Later, the expiring one no longer counts either.
    later = missing_required_documents(family, on=TODAY + datetime.timedelta(days=31))
    assert any("Vaccinations – Expiring" in reason for reason in later)


def test_a_refused_renewal_does_not_hide_a_valid_document(family, domicile):
    make_document(
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=200)
    )
    make_document(family, domicile, status=Status.REFUSED)

    [line] = document_checklist(family, today=TODAY).lines

    assert line.state == LineState.VALID
    assert missing_required_documents(family, on=TODAY) == []


# Transitions -----------------------------------------------------------------------------


def test_validate_sets_the_default_validity_notifies_and_emails(
    family, child, vaccinations, staff, django_capture_on_commit_callbacks
):
    document = make_document(family, vaccinations, child)

    with django_capture_on_commit_callbacks(execute=True):
        validated = supporting_document_validate(
            document=document, actor=staff, valid_from=datetime.date(2026, 9, 1)
        )

    assert validated.status == Status.VALID
    assert validated.valid_until == datetime.date(2027, 8, 31)
    assert validated.decided_by == staff
    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_VALIDATED
    assert "01/09/2026" in notification.body and "31/08/2027" in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["claire.dupont@example.fr"]
    assert FamilyEvent.objects.filter(family=family, action=FamilyEvent.Action.ACCEPTED).exists()


def test_refuse_needs_a_reason_then_notifies(
    family, child, vaccinations, staff, django_capture_on_commit_callbacks
):
    document = make_document(family, vaccinations, child)
    with pytest.raises(PortalError):
        supporting_document_refuse(document=document, actor=staff, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        refused = supporting_document_refuse(
            document=document, actor=staff, reason="Page 2 manquante"
        )

    assert refused.status == Status.REFUSED
    assert refused.refusal_reason == "Page 2 manquante"
    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_REFUSED
    assert "Page 2 manquante" in notification.body
    assert len(mail.outbox) == 1
    # The refused file is kept for staff's history.
    assert refused.file.storage.exists(refused.file.name)


@pytest.mark.parametrize("status", [Status.VALID, Status.REFUSED])
@pytest.mark.parametrize("action", ["validate", "refuse"])
def test_only_a_pending_document_is_decided(family, child, vaccinations, staff, status, action):
    document = make_document(family, vaccinations, child, status=status)

    with pytest.raises(PortalError):
        if action == "validate":
            supporting_document_validate(document=document, actor=staff, valid_from=TODAY)
        else:
            supporting_document_refuse(document=document, actor=staff, reason="Non")

    document.refresh_from_db()
    assert document.status == status
    assert not Notification.objects.exists()


def test_validity_ending_before_it_starts_is_refused(family, child, vaccinations, staff):
    document = make_document(family, vaccinations, child)
    with pytest.raises(PortalError):
        supporting_document_validate(
            document=document,
            actor=staff,
            valid_from=TODAY,
            valid_until=TODAY - datetime.timedelta(days=1),
        )


def test_expiring_documents_are_notified_once(
    family, child, vaccinations, domicile, django_capture_on_commit_callbacks
):
    expiring = make_document(
        family,
        vaccinations,
        child,
        status=Status.VALID,
        valid_until=TODAY + datetime.timedelta(days=20),
    )
    make_document(  # far from its end
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=90)
    )
    renewed = make_document(  # expiring, but a new one is already sent
        family, domicile, status=Status.VALID, valid_until=TODAY + datetime.timedelta(days=5)
    )
    make_document(family, domicile)

    with django_capture_on_commit_callbacks(execute=True):
        assert supporting_documents_notify_expiring(today=TODAY) == 1
    assert supporting_documents_notify_expiring(today=TODAY) == 0

    notification = Notification.objects.get(family=family)
    assert notification.kind == AlertKind.DOCUMENT_EXPIRING
    assert "Vaccinations – Léa" in notification.title
    assert len(mail.outbox) == 1
    expiring.refresh_from_db()
    renewed.refresh_from_db()
    assert expiring.expiry_notified_at is not None
    assert renewed.expiry_notified_at is None


def test_the_daily_command_runs(family, child, vaccinations, capsys):
    call_command("notify_expiring_documents")
    assert "0 document" in capsys.readouterr().out


# Family screens --------------------------------------------------------------------------


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def test_the_checklist_page_shows_missing_refused_and_the_upload_form(
    client, portal, guardian, family, child, vaccinations, domicile
):
    make_document(family, vaccinations, child, status=Status.REFUSED, refusal_reason="Flou")
    client.force_login(guardian.user)

    response = client.get(portal.url + "documents/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Justificatif de domicile" in content
    assert "Flou" in content
    assert 'enctype="multipart/form-data"' in content
    assert f'value="{vaccinations.pk}:{child.pk}"' in content
    assert f'value="{domicile.pk}"' in content


def test_a_family_uploads_from_the_checklist(
    client, portal, guardian, family, child, vaccinations, settings
):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{child.pk}", "file": upload(PNG, "photo.png")},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == portal.url + "documents/"
    document = SupportingDocument.objects.get(family=family)
    assert (document.child, document.content_type) == (child, "image/png")
    assert [str(message) for message in response.context["messages"]]


def test_a_bad_file_shows_the_error_next_to_the_field(
    client, portal, guardian, family, child, vaccinations, settings
):
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{child.pk}", "file": upload(b"<html></html>", "a.pdf")},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file_error"' in content
    assert response.context["form"].errors["file"]
    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


def test_another_familys_child_in_the_form_is_refused(
    client, portal, guardian, vaccinations, settings
):
    stranger = ChildFactory(family=FamilyFactory(name="MARTIN"))
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": f"{vaccinations.pk}:{stranger.pk}", "file": upload()},
    )

    assert response.status_code == 200
    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


def test_download_only_for_the_owning_family(client, portal, guardian, family, vaccinations, child):
    document = supporting_document_upload(
        family=family,
        document_type=vaccinations,
        child=child,
        uploaded_file=upload(PDF, "C:\\Users\\x\\carnet.pdf"),
        user=guardian.user,
    )
    url = portal.url + f"documents/{document.pk}/download/"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]

    client.force_login(guardian.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="carnet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"

    other = GuardianFactory(family=FamilyFactory(name="MARTIN"))
    client.force_login(other.user)
    assert client.get(url).status_code == 404


def test_the_home_page_lists_what_to_do(client, portal, guardian, family, child, vaccinations):
    client.force_login(guardian.user)

    content = client.get(portal.url).content.decode()

    assert "Vaccinations – Léa" in content
    assert "attention--error" in content


def _checklist_queries(client, portal, user) -> int:
    client.force_login(user)
    url = portal.url + "documents/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_checklist_costs_the_same_queries_for_one_child_or_eight(
    client, portal, vaccinations, domicile
):
    users = []
    for size in (1, 8):
        family = FamilyFactory()
        users.append(GuardianFactory(family=family).user)
        make_document(family, domicile, status=Status.VALID)
        for _index in range(size):
            child = ChildFactory(family=family)
            make_document(family, vaccinations, child, status=Status.REFUSED)
            make_document(family, vaccinations, child)
    _checklist_queries(client, portal, users[1])  # fills the site's caches

    counts = [_checklist_queries(client, portal, user) for user in users]

    assert counts[0] == counts[1]
    assert counts[1] <= 15


def test_the_factories_build_a_validated_family_document(family):
    from tests.factories import DocumentTypeFactory, SupportingDocumentFactory

    domicile = DocumentTypeFactory(name="Justificatif de domicile", scope="family")
    SupportingDocumentFactory(
        family=family,
        document_type=domicile,
        status=Status.VALID,
        valid_from=TODAY,
        valid_until=TODAY + datetime.timedelta(days=90),
    )

    [line] = document_checklist(family, today=TODAY).lines
    assert line.state == LineState.VALID
    assert missing_required_documents(family, on=TODAY) == []

"""Supporting documents: what families may upload, and that a refused upload leaves no file."""

import os

import pytest

from core.errors import UploadError
from core.uploads import MAX_UPLOAD_BYTES
from portal_features.documents import services
from portal_features.documents.services import (
    supporting_document_upload,
)
from portal_features.errors import PortalError
from portal_features.models import (
    FamilyEvent,
    SupportingDocument,
)
from tests.factories import (
    ChildFactory,
    FamilyFactory,
)
from tests.files import pdf_bytes

from .conftest import PDF, Status, private_files, upload

pytestmark = pytest.mark.django_db


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

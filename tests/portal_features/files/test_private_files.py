"""Families' files: a file is accepted only when it is structurally a PDF, JPEG or PNG, and
every view that serves one names it `<stem>.<sniffed extension>`, whatever the family called it.
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image

from cms.staff_groups import ENFANCE, ensure_staff_groups
from core.storage import download_name
from core.uploads import check_upload
from portal_features.models import DocumentType, SupportingDocument
from portal_features.portal.urls import portal_path
from tests.factories import FamilyFactory, GuardianFactory, PortalPageFactory, UserFactory
from tests.files import jpeg_bytes, pdf_bytes, png_bytes
from tests.portal_features.portal.test_isolation import FamilyObjects

pytestmark = pytest.mark.django_db

HTA = (
    b'<html><head><HTA:APPLICATION ID="caf" WINDOWSTATE="minimize"></head>'
    b'<body><script language="VBScript">CreateObject("WScript.Shell").Run "calc"</script>'
    b"</body></html>\n"
)


def one_bit_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


REFUSED = {
    # An HTA application behind a "%PDF-" line: mshta runs it whatever comes first.
    "polyglot-pdf-hta": ("attestation-caf.pdf.hta", b"%PDF-1.4\n" + HTA + b"%%EOF\n"),
    "pdf-header-then-garbage": ("releve.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40),
    "truncated-pdf": ("scan.pdf", pdf_bytes()[:-120]),
    "html-after-the-pdf": ("scan.pdf", pdf_bytes() + b"<html><script>alert(1)</script></html>"),
    "truncated-png": ("photo.png", png_bytes()[:-20]),
    "png-signature-then-junk": ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    "html-after-the-jpeg-magic": ("photo.jpg", b"\xff\xd8\xff<html><script>x()</script></html>"),
    "truncated-jpeg": ("photo.jpg", jpeg_bytes(width=256, height=256)[:-300]),
    # 56 megapixels in 7 kB: decoding it would take hundreds of megabytes.
    "decompression-bomb": ("bomb.png", one_bit_png(8000, 7000)),
}


@pytest.mark.parametrize("name, content", REFUSED.values(), ids=REFUSED.keys())
def test_a_file_that_only_starts_like_an_accepted_format_is_refused(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile(name, content))

    assert refused.value.code in ("invalid_pdf", "invalid_image")


@pytest.mark.parametrize(
    "content, content_type",
    [
        (pdf_bytes(), "application/pdf"),
        (png_bytes(), "image/png"),
        (jpeg_bytes(), "image/jpeg"),
        (one_bit_png(4000, 3000), "image/png"),  # 12 megapixels, a phone's photo
    ],
    ids=["pdf", "png", "jpeg", "12-megapixel-png"],
)
def test_real_files_are_accepted_with_their_sniffed_type(content, content_type):
    checked = check_upload(SimpleUploadedFile("fichier.bin", content))

    assert checked.content_type == content_type and checked.size == len(content)


def expected_message(name: str, content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        return _("This file is damaged or is not a real PDF document.")
    if name == "bomb.png":
        return _(
            "This image is too large (%(megapixels)d million pixels); "
            "the maximum is %(maximum)d million."
        ) % {"megapixels": 56, "maximum": 50}
    return _("This file is damaged or is not a real %(format)s image.") % {
        "format": "PNG" if name.endswith(".png") else "JPEG"
    }


@pytest.fixture
def portal(home_page):
    return PortalPageFactory(parent=home_page)


def private_files(settings) -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize("name, content", REFUSED.values(), ids=REFUSED.keys())
def test_the_upload_form_refuses_it_next_to_the_file_and_keeps_nothing(
    client, portal, settings, name, content
):
    guardian = GuardianFactory(family=FamilyFactory(name="DUPONT"))
    domicile = DocumentType.objects.create(
        name="Justificatif de domicile", scope="family", is_required=True
    )
    client.force_login(guardian.user)

    response = client.post(
        portal.url + "documents/send/",
        {"slot": str(domicile.pk), "file": SimpleUploadedFile(name, content)},
    )

    html = response.content.decode()
    assert response.status_code == 200
    error = html[html.index('id="id_file_error"') :][:400]
    assert escape(expected_message(name, content)) in error
    assert not SupportingDocument.objects.exists()
    assert private_files(settings) == []


@pytest.mark.parametrize(
    "original_name, content_type, served",
    [
        ("attestation-caf.pdf.hta", "application/pdf", "attestation-caf.pdf"),
        ("photo.jpg.exe", "image/jpeg", "photo.jpg"),
        ("facture.2024.html", "image/png", "facture-2024.png"),
        ('C:\\Users\\x\\"<script>.pdf', "application/pdf", "script.pdf"),
        ("..", "application/pdf", "document.pdf"),
        ("scan", "application/octet-stream", "scan.bin"),
    ],
)
def test_the_download_name_is_a_safe_stem_and_the_sniffed_extension(
    original_name, content_type, served
):
    assert download_name(original_name, content_type) == served


@pytest.fixture
def polyglot_named(db):
    """A family's document, message attachment and medical certificate, each a real PDF sent
    under the name "attestation-caf.pdf.hta" (as stored before downloads were renamed)."""
    objects = FamilyObjects(FamilyFactory(name="DUPONT"))
    for stored in (objects.document, objects.attachment, objects.absence):
        stored.original_name = "attestation-caf.pdf.hta"
        stored.save(update_fields=["original_name"])
    return objects


def _staff():
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


SERVING_VIEWS = {
    "family-document": lambda o: ("family", portal_path("documents:download", o.document.pk)),
    "family-attachment": lambda o: (
        "family",
        portal_path("messaging:attachment_download", o.attachment.pk),
    ),
    "family-certificate": lambda o: (
        "family",
        portal_path("reservations:absence_certificate", o.absence.pk),
    ),
    "staff-document": lambda o: (
        "staff",
        reverse("portal_features_supportingdocument_modeladmin_file", args=[o.document.pk]),
    ),
    "staff-attachment": lambda o: (
        "staff",
        reverse("portal_features_thread_modeladmin_attachment", args=[o.attachment.pk]),
    ),
    "staff-certificate": lambda o: (
        "staff",
        reverse("reservations_queues_absences_modeladmin_certificate", args=[o.absence.pk]),
    ),
}


@pytest.mark.parametrize("view", SERVING_VIEWS.values(), ids=SERVING_VIEWS.keys())
def test_every_view_serves_the_file_as_stem_dot_sniffed_extension(
    client, portal, polyglot_named, view
):
    who, address = view(polyglot_named)
    if who == "family":
        client.force_login(polyglot_named.account.user)
        address = portal.url + address
    else:
        client.force_login(_staff())

    response = client.get(address)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="attestation-caf.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("view", SERVING_VIEWS.values(), ids=SERVING_VIEWS.keys())
def test_a_file_missing_from_the_storage_is_a_404_not_a_500(client, portal, polyglot_named, view):
    for stored in (polyglot_named.document, polyglot_named.attachment, polyglot_named.absence):
        stored.file.storage.delete(stored.file.name)
    who, address = view(polyglot_named)
    if who == "family":
        client.force_login(polyglot_named.account.user)
        address = portal.url + address
    else:
        client.force_login(_staff())

    assert client.get(address).status_code == 404

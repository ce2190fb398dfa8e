"""The Wagtail admin's document forms carry the library's own fields."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Collection

from documents_library.models import LibraryDocument
from tests.factories import LibraryDocumentFactory, UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_edit_form_shows_the_library_fields(admin_client, tariffs):
    document = LibraryDocumentFactory(category=tariffs)

    response = admin_client.get(f"/admin/documents/edit/{document.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    for field in ("category", "description", "validity_label", "valid_until"):
        assert f'name="{field}"' in html


def test_edit_form_saves_the_category_and_validity(admin_client, tariffs, rules):
    document = LibraryDocumentFactory(title="Règlement", category=tariffs)

    response = admin_client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": "Règlement intérieur",
            "collection": Collection.get_first_root_node().pk,
            "category": rules.pk,
            "description": "Accueil de loisirs",
            "validity_label": "2025-2026",
            "valid_until": "2026-08-31",
            "tags": "",
        },
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Règlement intérieur"
    assert document.category == rules
    assert document.validity_label == "2025-2026"
    assert str(document.valid_until) == "2026-08-31"


def test_upload_form_creates_a_library_document_with_its_size(admin_client, tariffs):
    content = b"%PDF-1.4\n% inscriptions\n"

    response = admin_client.post(
        "/admin/documents/add/",
        {
            "title": "Fiche d'inscription",
            "file": SimpleUploadedFile("inscription.pdf", content, "application/pdf"),
            "collection": Collection.get_first_root_node().pk,
            "category": tariffs.pk,
            "description": "",
            "validity_label": "",
            "valid_until": "",
            "tags": "",
        },
    )

    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="Fiche d'inscription")
    assert document.category == tariffs
    assert document.file_size == len(content)

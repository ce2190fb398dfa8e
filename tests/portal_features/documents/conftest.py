"""Supporting documents: a family with a child and a guardian, two document types, a staff
member, and helpers that build an upload or a document in a given state."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from portal_features.models import (
    DocumentType,
    SupportingDocument,
)
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    GuardianFactory,
    UserFactory,
)
from tests.files import pdf_bytes, png_bytes

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

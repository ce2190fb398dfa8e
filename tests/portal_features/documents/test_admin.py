"""The staff screens « Pièces justificatives »: the queue, reading, validating, refusing."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from cms.staff_groups import COMMUNICATION, ENFANCE, ensure_staff_groups
from portal_features.alerts.kinds import AlertKind
from portal_features.models import DocumentType, Notification, SupportingDocument
from tests.factories import ChildFactory, FamilyFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%staff test\n"
PREFIX = "portal_features_supportingdocument_modeladmin_"
Status = SupportingDocument.Status


def url(action, document=None):
    return reverse(PREFIX + action, args=[document.pk] if document else [])


def refused(response) -> bool:
    """Wagtail answers a forbidden admin view with a 403 or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def staff_in(group_name):
    ensure_staff_groups()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def enfance_user():
    return staff_in(ENFANCE)


@pytest.fixture
def vaccinations(db):
    return DocumentType.objects.create(
        name="Vaccinations",
        scope=DocumentType.Scope.CHILD,
        is_required=True,
        default_validity_days=365,
    )


@pytest.fixture
def document(vaccinations):
    family = FamilyFactory(name="DUPONT", number="202600042")
    child = ChildFactory(family=family, first_name="Léa")
    return SupportingDocument.objects.create(
        family=family,
        child=child,
        document_type=vaccinations,
        file=ContentFile(PDF, name="x.pdf"),
        original_name="carnet de santé.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )


def test_enfance_lists_searches_and_filters_the_queue(client, enfance_user, document, vaccinations):
    other = SupportingDocument.objects.create(
        family=FamilyFactory(name="MARTIN"),
        document_type=DocumentType.objects.create(name="Assurance", scope="family"),
        file=ContentFile(PDF, name="y.pdf"),
        original_name="assurance.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    client.force_login(enfance_user)

    content = client.get(url("index")).content.decode()
    assert "202600042" in content and "DUPONT" in content and "MARTIN" in content

    searched = client.get(url("index"), {"q": "202600042"}).content.decode()
    assert "DUPONT" in searched and "MARTIN" not in searched

    filtered = client.get(url("index"), {"document_type": other.document_type_id})
    assert "MARTIN" in filtered.content.decode() and "DUPONT" not in filtered.content.decode()
    assert client.get(url("index"), {"status__exact": "valid"}).status_code == 200


def test_inspect_shows_the_document_and_staff_download_it(client, enfance_user, document):
    client.force_login(enfance_user)

    content = client.get(url("inspect", document)).content.decode()
    assert "carnet de santé.pdf" in content
    assert url("file", document) in content
    assert url("validate", document) in content

    response = client.get(url("file", document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def test_enfance_validates_with_a_prefilled_period(client, enfance_user, document):
    client.force_login(enfance_user)

    form = client.get(url("validate", document))
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert initial["valid_until"] == initial["valid_from"] + datetime.timedelta(days=364)
    # The date picker only shows ISO values; a French "17/06/2026" would look empty.
    assert f'value="{initial["valid_from"].isoformat()}"' in form.content.decode()

    response = client.post(
        url("validate", document), {"valid_from": "2026-09-01", "valid_until": "2027-08-31"}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.VALID
    assert (document.valid_from, document.valid_until) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
    )
    assert document.decided_by == enfance_user
    assert Notification.objects.filter(kind=AlertKind.DOCUMENT_VALIDATED).exists()


def test_an_end_before_the_start_is_shown_next_to_the_field(client, enfance_user, document):
    client.force_login(enfance_user)

    response = client.post(
        url("validate", document), {"valid_from": "2026-09-01", "valid_until": "2026-08-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"]
    document.refresh_from_db()
    assert document.status == Status.PENDING


def test_enfance_refuses_with_a_reason(client, enfance_user, document):
    client.force_login(enfance_user)

    empty = client.post(url("refuse", document), {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]

    response = client.post(url("refuse", document), {"reason": "Illisible"})

    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (Status.REFUSED, "Illisible")
    # Deciding again through the screen shows the service's error and changes nothing.
    again = client.post(url("validate", document), {"valid_from": "2026-09-01"}, follow=True)
    assert any(message.level_tag == "error" for message in again.context["messages"])
    document.refresh_from_db()
    assert document.status == Status.REFUSED


def test_enfance_manages_document_types(client, enfance_user):
    client.force_login(enfance_user)

    response = client.post(
        reverse("portal_features_documenttype_modeladmin_create"),
        {
            "name": "PAI",
            "scope": "child",
            "is_required": "on",
            "default_validity_days": "365",
            "sort_order": "3",
            "description": "",
        },
    )

    assert response.status_code == 302
    assert DocumentType.objects.get(name="PAI").is_required


def test_communication_staff_cannot_see_nor_decide(client, document):
    client.force_login(staff_in(COMMUNICATION))

    assert refused(client.get(url("index")))
    assert refused(client.get(url("inspect", document)))
    assert refused(client.get(url("file", document)))
    assert refused(client.post(url("refuse", document), {"reason": "Non"}))
    assert refused(client.get(reverse("portal_features_documenttype_modeladmin_index")))
    document.refresh_from_db()
    assert document.status == Status.PENDING


def test_enfance_validates_several_documents_at_once(client, enfance_user, document, vaccinations):
    second = SupportingDocument.objects.create(
        family=FamilyFactory(name="MARTIN"),
        child=None,
        document_type=DocumentType.objects.create(
            name="Assurance", scope="family", default_validity_days=30
        ),
        file=ContentFile(PDF, name="y.pdf"),
        original_name="assurance.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    client.force_login(enfance_user)
    assert url("bulk") in client.get(url("index")).content.decode()

    response = client.post(
        url("bulk"),
        {"documents": [document.pk, second.pk], "decision": "validate", "valid_from": "2026-09-01"},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    second.refresh_from_db()
    assert (document.status, document.valid_until) == (Status.VALID, datetime.date(2027, 8, 31))
    assert (second.status, second.valid_until) == (Status.VALID, datetime.date(2026, 9, 30))
    assert Notification.objects.filter(kind=AlertKind.DOCUMENT_VALIDATED).count() == 2


def test_bulk_refusal_needs_a_reason_and_only_takes_pending_documents(
    client, enfance_user, document
):
    client.force_login(enfance_user)

    response = client.post(url("bulk"), {"documents": [document.pk], "decision": "refuse"})
    assert response.status_code == 200 and response.context["form"].errors["reason"]

    client.post(url("bulk"), {"documents": [document.pk], "decision": "refuse", "reason": "Flou"})
    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (Status.REFUSED, "Flou")

    # Once decided it is no longer offered: a forged post is refused by the form.
    again = client.post(
        url("bulk"),
        {"documents": [document.pk], "decision": "validate", "valid_from": "2026-09-01"},
    )
    assert again.status_code == 200 and again.context["form"].errors["documents"]


def test_communication_staff_cannot_decide_in_bulk(client, document):
    client.force_login(staff_in(COMMUNICATION))

    assert refused(
        client.post(url("bulk"), {"documents": [document.pk], "decision": "refuse", "reason": "x"})
    )
    document.refresh_from_db()
    assert document.status == Status.PENDING

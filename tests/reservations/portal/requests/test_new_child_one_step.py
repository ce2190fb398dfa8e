"""Issue 12, a child added later: the family's « Ajouter un enfant » carries the child's
documents and, certified, its administrative file; one staff acceptance creates the child,
validates its documents and its file, and the child can be registered. A refusal, or an
acceptance that fails, leaves nothing half-saved; another family reaches none of it."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.staff_groups import ENFANCE, ensure_staff_groups
from portal_features.change_requests.services import (
    change_request_accept,
    change_request_refuse,
)
from portal_features.errors import PortalError
from portal_features.models import (
    ChangeRequest,
    ChangeRequestAttachment,
    Child,
    SupportingDocument,
)
from portal_features.portal.urls import portal_path
from reservations.eligibility import registration_blockers
from reservations.errors import ReservationError
from reservations.models import Enrolment
from reservations.services.requests import enrolment_accept
from tests.factories import ChildFactory, DocumentTypeFactory, GroupFactory, UserFactory
from tests.files import pdf_bytes

from ...conftest import NOW
from .conftest import R, open_activity

pytestmark = pytest.mark.django_db

JULES = {
    "last_name": "DUPONT",
    "first_name": "Jules",
    "birth_date": "2019-06-01",
    "sex": "m",
    "school": "École Jules-Ferry",
    "school_level": "cp",
}


@pytest.fixture
def staff(db):
    ensure_staff_groups()
    user = UserFactory(email="agent@mairie.example.fr", is_staff=True)
    user.groups.add(Group.objects.get(name=ENFANCE))
    return user


@pytest.fixture
def vaccinations(db):
    return DocumentTypeFactory(name="Vaccinations", scope="child", default_validity_days=365)


@pytest.fixture
def activity(world):
    """An activity of the school year whose group takes CP–CE1."""
    activity = open_activity(world)
    activity.groups.all().delete()
    GroupFactory(activity=activity, name="CP-CE1", school_levels=["cp", "ce1"])
    return activity


def portal_url(portal, name, **kwargs) -> str:
    return portal.url + portal_path(name, **kwargs)


def ask(client, portal, vaccinations, *, certify=True, content=None):
    """The family's « Ajouter un enfant » form, as the browser posts it."""
    data = {
        **JULES,
        f"document_{vaccinations.pk}": SimpleUploadedFile(
            "carnet.pdf", content or pdf_bytes(), "application/pdf"
        ),
    }
    if certify:
        data["certify"] = "on"
    return client.post(portal_url(portal, "family_file:child_add"), data)


def the_request(world) -> ChangeRequest:
    return ChangeRequest.objects.get(family=world.family)


def jules(world) -> Child:
    return Child.objects.for_family(world.family).get(first_name="Jules")


def test_the_form_offers_the_documents_and_the_file_of_the_year(
    client, parent, portal, vaccinations, activity
):
    html = client.get(portal_url(portal, "family_file:child_add")).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert f'name="document_{vaccinations.pk}"' in html
    assert 'name="certify"' in html and str(activity.school_year) in html


def test_one_acceptance_makes_the_new_child_registrable(
    client, parent, portal, vaccinations, activity, staff
):
    assert ask(client, portal, vaccinations).status_code == 302
    change_request = ChangeRequest.objects.get(family=parent.family)
    assert change_request.certified
    assert change_request.attachments.get().original_name == "carnet.pdf"
    assert not Child.objects.filter(first_name="Jules").exists()

    change_request_accept(change_request=change_request, actor=staff, validate_all=True, now=NOW)

    child = Child.objects.for_family(parent.family).get(first_name="Jules")
    document = SupportingDocument.objects.get(child=child)
    assert (document.status, document.family, document.uploaded_by) == (
        "valid",
        parent.family,
        parent.user,
    )
    enrolment = Enrolment.objects.get(child=child, school_year=activity.school_year)
    assert (enrolment.status, enrolment.created_by, enrolment.decided_by) == (
        R.ACCEPTED,
        parent.user,
        staff,
    )
    assert not ChangeRequestAttachment.objects.exists()
    assert (
        registration_blockers(family=parent.family, child=child, activity=activity, now=NOW) == []
    )


def test_without_validation_the_documents_and_the_file_wait_then_go_in_one_step(
    client, world, parent, portal, vaccinations, activity, staff
):
    ask(client, portal, vaccinations)

    change_request_accept(change_request=the_request(world), actor=staff, now=NOW)

    child = jules(world)
    document = SupportingDocument.objects.get(child=child)
    enrolment = Enrolment.objects.get(child=child)
    assert (document.status, enrolment.status) == ("pending", R.PENDING)
    # Validating the file validates the documents it waits for, in the same step.
    enrolment_accept(enrolment_id=enrolment.pk, actor=staff, validate_documents=True, now=NOW)
    document.refresh_from_db()
    enrolment.refresh_from_db()
    assert (document.status, document.decided_by) == ("valid", staff)
    assert (enrolment.status, enrolment.decided_by) == (R.ACCEPTED, staff)


def test_a_file_that_cannot_be_validated_leaves_its_documents_pending(
    client, world, parent, portal, vaccinations, activity, staff
):
    ask(client, portal, vaccinations)
    change_request_accept(change_request=the_request(world), actor=staff, now=NOW)
    enrolment = Enrolment.objects.get(child=jules(world))
    # A document the family never sent: validating the file fails, and with it the rest.
    DocumentTypeFactory(name="Justificatif de domicile", scope="family")

    with pytest.raises(ReservationError):
        enrolment_accept(enrolment_id=enrolment.pk, actor=staff, validate_documents=True, now=NOW)

    assert SupportingDocument.objects.get(child=jules(world)).status == "pending"
    enrolment.refresh_from_db()
    assert enrolment.status == R.PENDING


def test_uncertified_the_child_comes_without_its_file(
    client, world, parent, portal, vaccinations, activity, staff
):
    ask(client, portal, vaccinations, certify=False)

    change_request_accept(change_request=the_request(world), actor=staff, validate_all=True)

    assert SupportingDocument.objects.get(child=jules(world)).status == "valid"
    assert not Enrolment.objects.filter(child=jules(world)).exists()


def test_a_refusal_leaves_nothing_and_deletes_the_files(
    client, world, parent, portal, vaccinations, staff, django_capture_on_commit_callbacks
):
    ask(client, portal, vaccinations)
    change_request = the_request(world)
    attachment = change_request.attachments.get()
    storage, name = attachment.file.storage, attachment.file.name
    with pytest.raises(PortalError):
        change_request_refuse(change_request=change_request, actor=staff, reason=" ")
    assert ChangeRequestAttachment.objects.exists() and storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        change_request_refuse(change_request=change_request, actor=staff, reason="Doublon.")

    assert the_request(world).status == R.REFUSED
    assert not Child.objects.filter(first_name="Jules").exists()
    assert not ChangeRequestAttachment.objects.exists()
    assert not SupportingDocument.objects.filter(family=world.family).exists()
    assert not Enrolment.objects.filter(child__first_name="Jules").exists()
    assert not storage.exists(name)


def test_an_acceptance_that_fails_leaves_nothing_half_saved(
    client, world, parent, portal, vaccinations, activity, staff
):
    ChildFactory(family=world.add_family(0)[0], first_name="Jules", birth_date="2019-06-01")
    ask(client, portal, vaccinations)
    change_request = the_request(world)

    # Known in another household: staff must link it rather than create it twice.
    with pytest.raises(PortalError):
        change_request_accept(change_request=change_request, actor=staff, validate_all=True)

    assert the_request(world).status == R.PENDING
    assert change_request.attachments.count() == 1
    assert not Child.objects.for_family(world.family).filter(first_name="Jules").exists()
    assert not SupportingDocument.objects.filter(family=world.family).exists()
    assert not Enrolment.objects.filter(child__first_name="Jules").exists()


def test_a_file_that_is_not_a_document_is_refused_on_the_form(
    client, world, parent, portal, vaccinations
):
    response = ask(client, portal, vaccinations, content=b"not a pdf at all")

    assert response.status_code == 200
    assert not ChangeRequest.objects.exists() and not ChangeRequestAttachment.objects.exists()


def test_another_family_reaches_nothing_of_the_new_child(
    client, world, parent, portal, vaccinations, activity, staff
):
    ask(client, portal, vaccinations)
    change_request_accept(change_request=the_request(world), actor=staff, validate_all=True)
    child = jules(world)
    document = SupportingDocument.objects.get(child=child)
    _other_family, other_guardian, _kids = world.add_family()

    client.force_login(other_guardian.user)

    year_id = activity.school_year_id
    for name, kwargs in (
        ("family_file:child_detail", {"child_id": child.pk}),
        ("family_file:child_edit", {"child_id": child.pk}),
        ("documents:download", {"document_id": document.pk}),
        ("reservations:enrolment_submit", {"child_id": child.pk, "school_year_id": year_id}),
    ):
        assert client.get(portal_url(portal, name, **kwargs)).status_code == 404, name


def test_staff_accept_the_child_its_documents_and_its_file_on_one_screen(
    client, world, parent, portal, vaccinations, activity, staff
):
    ask(client, portal, vaccinations)
    change_request = the_request(world)
    client.force_login(staff)
    inspect = reverse("portal_features_changerequest_modeladmin_inspect", args=[change_request.pk])
    accept = reverse("portal_features_changerequest_modeladmin_accept", args=[change_request.pk])
    html = client.get(inspect).content.decode()
    file_url = reverse(
        "portal_features_changerequest_modeladmin_attachment",
        args=[change_request.attachments.get().pk],
    )
    assert file_url in html and "carnet.pdf" in html
    assert client.get(file_url).status_code == 200
    assert 'name="validate_all"' in client.get(accept).content.decode()

    response = client.post(accept, {"validate_all": "on"})

    assert response.status_code == 302
    child = jules(world)
    assert SupportingDocument.objects.get(child=child).status == "valid"
    assert Enrolment.objects.get(child=child).status == R.ACCEPTED

"""A new family's way in: the administrative file with the account, in one staff step, and
a child eligible at once (school and class asked at sign-up); a file sent while documents
await validation."""

import pytest
from django.core.files.base import ContentFile
from django.utils.translation import gettext

from portal_features.models import Child, SignupAttachment, SupportingDocument
from portal_features.signup.services import signup_request_accept
from reservations.eligibility import registration_blockers
from reservations.errors import ReservationError
from reservations.models import Enrolment
from reservations.services.requests import enrolment_accept, enrolment_submit
from tests.factories import (
    DocumentTypeFactory,
    GroupFactory,
    SignupRequestFactory,
    SupportingDocumentFactory,
    UserFactory,
    signup_request_data,
)
from tests.files import pdf_bytes

from ...conftest import NOW
from .conftest import R, new_child, open_activity

pytestmark = pytest.mark.django_db

CHILD = {
    "last_name": "Durand",
    "first_name": "Tom",
    "birth_date": "2020-05-04",
    "sex": "m",
    "school": "École Jules-Ferry",
    "school_level": "cp",
}


@pytest.fixture
def staff(db):
    return UserFactory(email="agent@mairie.example.fr", is_staff=True)


def signup_with_vaccinations(vaccinations, child=CHILD):
    signup_request = SignupRequestFactory(data=signup_request_data(children=[child]))
    attachment = SignupAttachment(
        signup_request=signup_request,
        document_type=vaccinations,
        child_index=0,
        original_name="carnet.pdf",
        content_type="application/pdf",
        size=100,
    )
    attachment.file.save("upload", ContentFile(pdf_bytes()), save=True)
    return signup_request


def test_one_staff_step_makes_a_new_child_eligible_to_an_activity_by_class(world, staff):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    activity = open_activity(world)
    activity.groups.all().delete()
    GroupFactory(activity=activity, name="CP-CE1", school_levels=["cp", "ce1"])
    signup_request = signup_with_vaccinations(vaccinations)

    family = signup_request_accept(request=signup_request, actor=staff, validate_all=True, now=NOW)

    tom = Child.objects.get(memberships__family=family)
    enrolment = Enrolment.objects.get(child=tom, school_year=activity.school_year)
    assert (enrolment.status, enrolment.decided_by) == (R.ACCEPTED, staff)
    assert SupportingDocument.objects.get(child=tom).status == "valid"
    assert registration_blockers(family=family, child=tom, activity=activity, now=NOW) == []


def test_without_validation_the_file_is_sent_and_waits_with_its_documents(world, staff):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    signup_request = signup_with_vaccinations(vaccinations)

    family = signup_request_accept(request=signup_request, actor=staff, now=NOW)

    tom = Child.objects.get(memberships__family=family)
    assert Enrolment.objects.get(child=tom).status == R.PENDING
    assert SupportingDocument.objects.get(child=tom).status == "pending"


def test_a_child_linked_from_another_household_keeps_its_one_file_of_the_year(world, staff):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    other, _guardian, (known,) = world.add_family()  # its file of the year sent
    same = {**CHILD, "first_name": known.first_name, "last_name": known.last_name}
    signup_request = signup_with_vaccinations(
        vaccinations, child={**same, "birth_date": str(known.birth_date)}
    )
    children = Child.objects.count()

    family = signup_request_accept(
        request=signup_request, actor=staff, link_known=True, validate_all=True, now=NOW
    )

    assert Child.objects.count() == children
    assert set(known.families.all()) == {other, family}
    assert (
        Enrolment.objects.filter(child=known, school_year=world.activity.school_year).count() == 1
    )
    # The documents this household sent are its own, for the same child.
    assert SupportingDocument.objects.get(family=family).child == known


def test_a_missing_required_document_leaves_the_file_to_the_family(world, staff):
    DocumentTypeFactory(name="Vaccinations", scope="child")
    signup_request = SignupRequestFactory(data=signup_request_data(children=[CHILD]))

    family = signup_request_accept(request=signup_request, actor=staff, validate_all=True, now=NOW)

    assert not Enrolment.objects.filter(family=family).exists()


def test_the_file_is_sent_while_its_documents_await_validation(world, parent, staff):
    vaccinations = DocumentTypeFactory(name="Vaccinations", scope="child")
    lea = new_child(world)
    document = SupportingDocumentFactory(family=world.family, child=lea, document_type=vaccinations)
    year_id = world.activity.school_year_id

    enrolment = enrolment_submit(
        family=world.family, child_id=lea.pk, school_year_id=year_id, user=parent.user, now=NOW
    )

    assert enrolment.status == R.PENDING
    # Validating it still needs the documents valid: staff validate them first.
    with pytest.raises(ReservationError) as refused:
        enrolment_accept(enrolment_id=enrolment.pk, actor=staff, now=NOW)
    assert (
        gettext("%(document)s: sent, awaiting validation by the service.")
        % {"document": f"Vaccinations – {lea.first_name}"}
        in refused.value.reasons
    )
    assert document.status == "pending"

"""The portal's state machines hold: account requests, change requests and supporting
documents. Each allowed move is made by its service; every forbidden move is refused by the
same service (or, for a status no service aims at, by the kernel's `transition()` with the
table) and leaves no trace. The forbidden pairs come from `portal_features.choices`."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.choices import RequestStatus
from core.states import transition
from portal_features.change_requests.services import (
    change_request_accept,
    change_request_refuse,
    change_request_submit,
)
from portal_features.choices import (
    CHANGE_REQUEST_TRANSITIONS,
    DOCUMENT_TRANSITIONS,
    SIGNUP_REQUEST_TRANSITIONS,
    DocumentStatus,
)
from portal_features.documents.services import (
    supporting_document_refuse,
    supporting_document_upload,
    supporting_document_validate,
)
from portal_features.errors import PortalError
from portal_features.models import DocumentType, FamilyEvent, Notification, SignupRequest
from portal_features.signup.services import (
    signup_request_accept,
    signup_request_refuse,
    signup_request_submit,
)
from tests.factories import ChildFactory, GuardianFactory, UserFactory, signup_request_data
from tests.files import pdf_bytes
from tests.transitions import Coverage, assert_covered, forbidden, pair_ids

pytestmark = pytest.mark.django_db

R, D = RequestStatus, DocumentStatus
VALID_FROM = datetime.date(2026, 9, 1)

TRANSITION_COVERAGE = {
    "portal_features.signup_request": Coverage(
        {
            (None, R.PENDING): "test_a_household_asks_for_an_account",
            (R.PENDING, R.ACCEPTED): "test_staff_accept_an_account_request",
            (R.PENDING, R.REFUSED): "test_staff_refuse_an_account_request",
        }
    ),
    "portal_features.change_request": Coverage(
        {
            (None, R.PENDING): "test_a_family_sends_a_change_request",
            (R.PENDING, R.ACCEPTED): "test_staff_accept_a_change_request",
            (R.PENDING, R.REFUSED): "test_staff_refuse_a_change_request",
        }
    ),
    "portal_features.supporting_document": Coverage(
        {
            (None, D.PENDING): "test_a_family_sends_a_document",
            (D.PENDING, D.VALID): "test_staff_validate_a_document",
            (D.PENDING, D.REFUSED): "test_staff_refuse_a_document",
        }
    ),
}


def test_every_allowed_move_of_the_portal_has_its_test():
    assert_covered(globals())


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def traces() -> tuple[int, int]:
    return Notification.objects.count(), FamilyEvent.objects.count()


# --- Account requests ----------------------------------------------------------------------


def ask_for_an_account() -> SignupRequest:
    return signup_request_submit(data=signup_request_data(), email="lea.durand@example.fr")


def test_a_household_asks_for_an_account():
    assert ask_for_an_account().status == R.PENDING


def test_staff_accept_an_account_request(staff):
    signup_request = ask_for_an_account()

    family = signup_request_accept(request=signup_request, actor=staff)

    signup_request.refresh_from_db()
    assert (signup_request.status, signup_request.decided_by) == (R.ACCEPTED, staff)
    assert signup_request.family == family
    assert Notification.objects.get(family=family).kind == "account_accepted"


def test_staff_refuse_an_account_request(staff):
    signup_request = ask_for_an_account()

    signup_request_refuse(request=signup_request, actor=staff, reason="Hors commune")

    signup_request.refresh_from_db()
    assert (signup_request.status, signup_request.refusal_reason) == (R.REFUSED, "Hors commune")
    assert signup_request.decided_by == staff


def _signup_move(signup_request, to_status, staff):
    if to_status == R.ACCEPTED:
        return signup_request_accept(request=signup_request, actor=staff)
    if to_status == R.REFUSED:
        return signup_request_refuse(request=signup_request, actor=staff, reason="Non")
    return transition(
        signup_request, to_status, table=SIGNUP_REQUEST_TRANSITIONS, error=PortalError
    )


SIGNUP_FORBIDDEN = forbidden("portal_features.signup_request")


@pytest.mark.parametrize(
    ("from_status", "to_status"), SIGNUP_FORBIDDEN, ids=pair_ids(SIGNUP_FORBIDDEN)
)
def test_forbidden_account_request_move_is_refused(staff, from_status, to_status):
    signup_request = ask_for_an_account()
    if from_status != R.PENDING:
        _signup_move(signup_request, from_status, staff)
    signup_request = SignupRequest.objects.get(pk=signup_request.pk)
    before, counts = (signup_request.status, signup_request.decided_at), traces()

    with pytest.raises(PortalError):
        _signup_move(signup_request, to_status, staff)

    signup_request.refresh_from_db()
    assert (signup_request.status, signup_request.decided_at) == before
    assert before[0] == from_status
    assert traces() == counts


# --- Change requests -----------------------------------------------------------------------


@pytest.fixture
def guardian():
    return GuardianFactory(phone_work="")


def send_change(guardian):
    return change_request_submit(
        family=guardian.family,
        target=guardian,
        changes={"phone_work": "02 38 00 00 00"},
        user=guardian.user,
        summary="Téléphone",
    )


def test_a_family_sends_a_change_request(guardian):
    assert send_change(guardian).status == R.PENDING


def test_staff_accept_a_change_request(guardian, staff):
    change_request = send_change(guardian)

    change_request_accept(change_request=change_request, actor=staff)

    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_by) == (R.ACCEPTED, staff)
    guardian.refresh_from_db()
    assert guardian.phone_work == "02 38 00 00 00"


def test_staff_refuse_a_change_request(guardian, staff):
    change_request = send_change(guardian)

    change_request_refuse(change_request=change_request, actor=staff, reason="Illisible")

    change_request.refresh_from_db()
    assert (change_request.status, change_request.refusal_reason) == (R.REFUSED, "Illisible")


def _change_move(change_request, to_status, staff):
    if to_status == R.ACCEPTED:
        return change_request_accept(change_request=change_request, actor=staff)
    if to_status == R.REFUSED:
        return change_request_refuse(change_request=change_request, actor=staff, reason="Non")
    return transition(
        change_request, to_status, table=CHANGE_REQUEST_TRANSITIONS, error=PortalError
    )


CHANGE_FORBIDDEN = forbidden("portal_features.change_request")


@pytest.mark.parametrize(
    ("from_status", "to_status"), CHANGE_FORBIDDEN, ids=pair_ids(CHANGE_FORBIDDEN)
)
def test_forbidden_change_request_move_is_refused(guardian, staff, from_status, to_status):
    change_request = send_change(guardian)
    if from_status != R.PENDING:
        _change_move(change_request, from_status, staff)
    change_request.refresh_from_db()
    before, counts = (change_request.status, change_request.decided_at), traces()

    with pytest.raises(PortalError):
        _change_move(change_request, to_status, staff)

    change_request.refresh_from_db()
    assert (change_request.status, change_request.decided_at) == before
    assert before[0] == from_status
    assert traces() == counts


# --- Supporting documents ------------------------------------------------------------------


def send_document(guardian):
    document_type = DocumentType.objects.create(
        name="Vaccinations", scope=DocumentType.Scope.CHILD, default_validity_days=365
    )
    return supporting_document_upload(
        family=guardian.family,
        document_type=document_type,
        child=ChildFactory(family=guardian.family),
        uploaded_file=SimpleUploadedFile(
            "vaccins.pdf", pdf_bytes(text="vaccins"), content_type="application/pdf"
        ),
        user=guardian.user,
    )


def test_a_family_sends_a_document(guardian):
    assert send_document(guardian).status == D.PENDING


def test_staff_validate_a_document(guardian, staff):
    document = send_document(guardian)

    supporting_document_validate(document=document, actor=staff, valid_from=VALID_FROM)

    document.refresh_from_db()
    assert (document.status, document.decided_by, document.valid_from) == (
        D.VALID,
        staff,
        VALID_FROM,
    )
    assert document.valid_until == datetime.date(2027, 8, 31)


def test_staff_refuse_a_document(guardian, staff):
    document = send_document(guardian)

    supporting_document_refuse(document=document, actor=staff, reason="Page 2 manquante")

    document.refresh_from_db()
    assert (document.status, document.refusal_reason) == (D.REFUSED, "Page 2 manquante")


def _document_move(document, to_status, staff):
    if to_status == D.VALID:
        return supporting_document_validate(document=document, actor=staff, valid_from=VALID_FROM)
    if to_status == D.REFUSED:
        return supporting_document_refuse(document=document, actor=staff, reason="Non")
    return transition(document, to_status, table=DOCUMENT_TRANSITIONS, error=PortalError)


DOCUMENT_FORBIDDEN = forbidden("portal_features.supporting_document")


@pytest.mark.parametrize(
    ("from_status", "to_status"), DOCUMENT_FORBIDDEN, ids=pair_ids(DOCUMENT_FORBIDDEN)
)
def test_forbidden_document_move_is_refused(guardian, staff, from_status, to_status):
    document = send_document(guardian)
    if from_status != D.PENDING:
        _document_move(document, from_status, staff)
    document.refresh_from_db()
    before, counts = (document.status, document.decided_at), traces()

    with pytest.raises(PortalError):
        _document_move(document, to_status, staff)

    document.refresh_from_db()
    assert (document.status, document.decided_at) == before
    assert before[0] == from_status
    assert traces() == counts

"""The demo's everyday life, made through the services: documents, what awaits staff and
what happened on the days."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from demo import accounts, documents, families
from demo.everyday import SIGNUP_EMAIL, THREAD_SUBJECT, ensure_everyday
from demo.reservations import ensure_reservations
from portal_features.documents.selectors import missing_required_documents
from portal_features.models import (
    ChangeRequest,
    Family,
    FamilyEvent,
    SignupRequest,
    SupportingDocument,
    Thread,
)
from reservations.models import Absence, Reservation, ReservationEvent

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
TODAY = NOW.date()


@pytest.fixture
def demo(db):
    accounts.ensure_accounts(None)
    families.ensure_reference_data(None)
    families.ensure_families(None)
    documents.ensure_supporting_documents(None, now=NOW)
    ensure_reservations(None, now=NOW)
    ensure_everyday(None, now=NOW)


def counts():
    models = (SupportingDocument, SignupRequest, ChangeRequest, Thread, Absence, Reservation)
    return {model.__name__: model.objects.count() for model in models}


def test_every_family_but_one_has_its_documents_validated(demo):
    missing = {
        family.name: missing_required_documents(family, on=TODAY) for family in Family.objects.all()
    }

    assert [name for name, reasons in missing.items() if reasons] == ["BERNARD"]
    assert len(missing["BERNARD"]) == 1 and "domicile" in missing["BERNARD"][0]
    assert not SupportingDocument.objects.exclude(status="valid").exists()
    # Sent with the account request and validated by staff, as the services record it.
    sent = FamilyEvent.objects.filter(description__startswith="Pièce envoyée avec la demande")
    assert set(sent.values_list("family__name", flat=True)) == set(
        Family.objects.values_list("name", flat=True)
    )


def test_staff_have_an_account_request_a_change_request_and_a_message_to_read(demo):
    pending = SignupRequest.objects.get(email=SIGNUP_EMAIL)
    assert pending.status == "pending"
    assert pending.data["children"][0]["school_level"] == "ce1"
    assert pending.attachments.count() == 3  # the child's vaccinations, QF and address proofs
    # Every family came in the same way, accepted by staff.
    assert not Family.objects.filter(signup_request=None).exists()
    assert set(
        SignupRequest.objects.exclude(email=SIGNUP_EMAIL).values_list("status", "decided_by__email")
    ) == {("accepted", "enfance@example.fr")}
    change_request = ChangeRequest.objects.get(status="pending")
    assert change_request.family.name == "DUPONT"
    assert change_request.changes["__action__"] == "create:child"
    thread = Thread.objects.get(subject=THREAD_SUBJECT)
    assert [m.from_staff for m in thread.messages.all()] == [False, True, False]


def test_the_days_show_an_absence_to_decide_a_late_cancellation_an_offer_a_walk_in(demo):
    declared = Absence.objects.get(status="declared")
    assert declared.certificate and declared.original_name.endswith(".pdf")
    late = Reservation.objects.get(late_cancellation=True)
    assert late.status == "cancelled" and late.family.name == "ROUSSEL"
    offered = Reservation.objects.get(status="offered")
    assert offered.offer_expires_at is not None
    assert ReservationEvent.objects.filter(reservation=offered, to_status="offered").exists()
    walk_in = Reservation.objects.get(walk_in=True)
    assert walk_in.attendance == "present" and walk_in.day < TODAY
    # BERNARD, whose proof of address is missing, has booked nothing and been billed nothing.
    assert not Reservation.objects.filter(family__name="BERNARD").exists()
    assert Reservation.objects.filter(
        attendance="absent", absence__isnull=True, late_cancellation=False
    ).exists()


def test_running_it_again_adds_nothing(demo):
    before = counts()

    ensure_everyday(None, now=NOW)

    assert counts() == before

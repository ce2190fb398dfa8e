"""Anonymising a departed family keeps what accounting law requires and blanks the rest,
field by field; staff do it from the family's file, the command for families gone three
years."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from invoicing.models import Allocation, Invoice, Mandate, Payment, PaymentRequest
from portal_features.change_requests.services import change_request_submit
from portal_features.errors import PortalError
from portal_features.models import (
    AuthorizedPerson,
    ChangeRequest,
    ChangeRequestAttachment,
    Child,
    Consent,
    Family,
    FamilyEvent,
    Guardian,
    HealthRecord,
    Message,
    MessageAttachment,
    Notification,
    QuotientRecord,
    SupportingDocument,
    Thread,
    Vaccination,
)
from portal_features.rgpd.anonymise import departed_families, family_anonymise
from portal_features.rgpd.selectors import family_export_data
from reservations.models import Absence, Order, Reservation, ReservationEvent
from tests import factories
from tests.files import pdf_bytes

from .conftest import LONG_AGO, PARIS

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 6, 1, 9, 0, tzinfo=PARIS)


def test_accounting_documents_are_kept_whole(life):
    family_anonymise(family=life.family, now=NOW)

    invoice = Invoice.objects.get(pk=life.invoice.pk)
    assert invoice.number == "F-2026-000007"
    assert invoice.total == Decimal("12.20")
    assert invoice.status == "issued"
    assert invoice.payer == {"name": "M. DURAND", "address": "3 rue des Lilas"}
    assert invoice.lines.get().amount == Decimal("12.20")
    payment = Payment.objects.get(pk=life.payment.pk)
    assert (payment.number, payment.amount, payment.mode) == (
        "R-2026-000003",
        Decimal("12.20"),
        "cheque",
    )
    assert Allocation.objects.get(payment=payment).amount == Decimal("12.20")
    family = Family.objects.get(pk=life.family.pk)
    assert family.number == life.family.number
    # What the invoice bills stays: the days, their prices and the order's number.
    assert Reservation.objects.filter(family=family).count() == 2
    assert Order.objects.get(pk=life.order.pk).number == "2026-00042"
    assert ReservationEvent.objects.filter(reservation=life.reservation).count() == 2
    assert Mandate.objects.get(pk=life.mandate.pk).rum == "RUM-ALSH-0001"


def test_the_family_its_guardians_and_logins_are_blanked(life):
    family_anonymise(family=life.family, now=NOW)

    family = Family.objects.get(pk=life.family.pk)
    assert family.name == "Famille anonymisée"
    assert family.status == Family.Status.ANONYMISED
    for name in (
        "address_line",
        "address_complement",
        "postal_code",
        "city",
        "benefits_number",
        "bank_account_holder",
        "iban",
        "bic",
    ):
        assert getattr(family, name) == "", name
    guardian = Guardian.objects.get(pk=life.guardian.pk)
    assert (guardian.last_name, guardian.first_name) == ("Anonymisé", "")
    for name in ("phone_mobile", "phone_home", "phone_work", "email", "profession", "employer"):
        assert getattr(guardian, name) == "", name
    assert guardian.address_line == guardian.city == guardian.postal_code == ""
    assert guardian.user is None
    assert not guardian.consents_to_email
    user = type(life.guardian.user).objects.get(pk=life.guardian.user_id)
    assert user.email == f"anonymised-{user.pk}@invalid"
    assert not user.is_active and not user.has_usable_password()
    assert user.first_name == user.last_name == ""
    mandate = Mandate.objects.get(pk=life.mandate.pk)
    assert mandate.iban == mandate.bic == mandate.account_holder == ""
    assert QuotientRecord.objects.filter(family=family).count() == 0


def test_the_child_health_and_people_are_removed(life):
    birth_year = life.child.birth_date.year

    family_anonymise(family=life.family, now=NOW)

    child = Child.objects.get(pk=life.child.pk)
    assert (child.first_name, child.last_name) == ("", "Anonymisé")
    assert child.birth_date == datetime.date(birth_year, 1, 1)
    assert child.school == child.school_level == ""
    assert not HealthRecord.objects.filter(child=child).exists()
    assert not Vaccination.objects.exists()
    assert not Consent.objects.filter(child=child).exists()
    assert not AuthorizedPerson.objects.filter(family=life.family).exists()


def test_files_messages_requests_and_history_go(life, django_capture_on_commit_callbacks):
    document_file = life.document.file.name
    certificate = life.absence.certificate.name
    attachment = life.attachment.file.name
    storage = life.document.file.storage
    assert all(storage.exists(name) for name in (document_file, certificate, attachment))

    with django_capture_on_commit_callbacks(execute=True):
        family_anonymise(family=life.family, now=NOW)

    assert not any(storage.exists(name) for name in (document_file, certificate, attachment))

    document = SupportingDocument.objects.get(pk=life.document.pk)
    assert document.file.name == "" and document.original_name == ""
    assert document.file_deleted_at == NOW
    absence = Absence.objects.get(pk=life.absence.pk)
    assert absence.certificate.name == "" and absence.original_name == ""
    assert absence.comment == ""
    assert absence.status == "excused"  # the billing decision stays
    assert not Thread.objects.filter(family=life.family).exists()
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()
    assert not Notification.objects.filter(family=life.family).exists()
    assert not ChangeRequest.objects.filter(family=life.family).exists()
    (event,) = FamilyEvent.objects.filter(family=life.family)
    assert event.description == "Dossier famille anonymisé."


def test_a_child_shared_with_a_live_household_keeps_its_identity(life):
    other = factories.FamilyFactory()
    life.child.memberships.create(family=other)
    AuthorizedPerson.objects.create(
        family=other, child=life.child, last_name="X", first_name="Tonton", phone="0698765432"
    )

    family_anonymise(family=life.family, now=NOW)

    child = Child.objects.get(pk=life.child.pk)
    assert child.first_name == life.child.first_name
    assert HealthRecord.objects.filter(child=child).exists()
    assert list(AuthorizedPerson.objects.values_list("first_name", flat=True)) == ["Tonton"]


def test_a_family_that_owes_money_is_refused(life):
    Allocation.objects.filter(payment=life.payment).delete()

    with pytest.raises(PortalError) as refused:
        family_anonymise(family=life.family, now=NOW)

    assert "12,20" in refused.value.message
    assert Family.objects.get(pk=life.family.pk).status == Family.Status.ACTIVE
    assert Thread.objects.filter(family=life.family).exists()


def test_anonymising_twice_is_refused(life):
    family_anonymise(family=life.family, now=NOW)

    with pytest.raises(PortalError):
        family_anonymise(family=life.family, now=NOW)


def _age_everything(family, moment):
    """Move every sign of the family's life back to `moment`."""
    Family.objects.filter(pk=family.pk).update(created_at=moment)
    type(family.guardians.get().user).objects.filter(guardian__family=family).update(
        last_login=moment, date_joined=moment
    )
    SupportingDocument.objects.filter(family=family).update(uploaded_at=moment)
    Message.objects.filter(thread__family=family).update(sent_at=moment)
    ChangeRequest.objects.filter(family=family).update(created_at=moment)
    Order.objects.filter(family=family).update(submitted_at=moment)
    for reservation in Reservation.objects.filter(family=family):
        shift = datetime.timedelta(days=365 * 4)
        Reservation.objects.filter(pk=reservation.pk).update(day=reservation.day - shift)
    _backdate_money(family, moment)
    PaymentRequest.objects.filter(family=family).update(email="")


def _backdate_money(family, moment):
    """Issued invoices and payments are frozen by PostgreSQL triggers: to make them look made
    long ago, triggers are set aside for these statements of the test's own transaction."""
    on_postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if on_postgresql:
            cursor.execute("SET session_replication_role = replica")
        Invoice.objects.filter(family=family).update(issued_at=moment, issued_on=moment.date())
        Payment.objects.filter(family=family).update(received_on=moment.date())
        if on_postgresql:
            cursor.execute("SET session_replication_role = origin")


def test_departed_families_are_those_silent_for_three_years(life):
    # Everything happened in 2026: not departed in mid-2028, departed in mid-2030.
    assert departed_families(now=datetime.datetime(2028, 6, 1, tzinfo=PARIS)) == []
    assert life.family in departed_families(now=NOW)
    assert departed_families(years=5, now=NOW) == []


def test_the_command_anonymises_the_departed_only(life):
    _age_everything(life.family, LONG_AGO)
    recent, _guardian, _children = life.world.add_family()
    out = StringIO()

    call_command("anonymise_departed", stdout=out)

    assert Family.objects.get(pk=life.family.pk).status == Family.Status.ANONYMISED
    assert Family.objects.get(pk=recent.pk).status == Family.Status.ACTIVE
    assert "1" in out.getvalue()


def test_the_command_respects_years(life):
    _age_everything(life.family, LONG_AGO)

    call_command("anonymise_departed", "--years", "10", stdout=StringIO())

    assert Family.objects.get(pk=life.family.pk).status == Family.Status.ACTIVE


def test_staff_confirm_then_anonymise_from_the_file(client, life):
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("portal_features_family_modeladmin_anonymise", args=[life.family.pk])
    inspect = reverse("portal_features_family_modeladmin_inspect", args=[life.family.pk])

    assert url in client.get(inspect).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Famille anonymisée" in confirm.content.decode()
    assert Family.objects.get(pk=life.family.pk).status == Family.Status.ACTIVE

    response = client.post(url)

    assert response.status_code == 302 and response.url == inspect
    family = Family.objects.get(pk=life.family.pk)
    assert family.status == Family.Status.ANONYMISED
    assert FamilyEvent.objects.get(family=family).actor == staff


def test_a_parent_cannot_reach_the_staff_action(client, life):
    client.force_login(life.guardian.user)

    response = client.post(
        reverse("portal_features_family_modeladmin_anonymise", args=[life.family.pk])
    )

    assert response.status_code in (302, 403)
    assert Family.objects.get(pk=life.family.pk).status == Family.Status.ACTIVE


def test_a_new_child_request_s_documents_are_exported_then_go(
    life, django_capture_on_commit_callbacks
):
    """The documents a family sent with a new child's request, still awaiting staff: in its
    data export, and deleted with the request when the family is anonymised."""
    request = change_request_submit(
        family=life.family,
        target=life.family,
        changes={"last_name": "DUPONT", "first_name": "Jules", "birth_date": "2019-06-01"},
        user=life.guardian.user,
        summary="Nouvel enfant",
        action="create",
        model="child",
        documents=[
            (
                factories.DocumentTypeFactory(name="Vaccinations", scope="child"),
                SimpleUploadedFile("carnet.pdf", pdf_bytes(), "application/pdf"),
            )
        ],
        now=LONG_AGO,
    )
    stored = request.attachments.get().file
    data, files = family_export_data(family=life.family)
    (exported,) = [entry for entry in data["change_requests"] if entry["attachments"]]
    assert exported["attachments"][0]["original_name"] == "carnet.pdf"
    assert any(file.name == stored.name for _entry, file in files)

    with django_capture_on_commit_callbacks(execute=True):
        family_anonymise(family=life.family, now=NOW)

    assert not ChangeRequestAttachment.objects.exists()
    assert not stored.storage.exists(stored.name)

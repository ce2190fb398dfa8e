"""A family with a whole life in the portal: a child enrolled, registered, booked (with the
booking's history, an order and an absence with its certificate), an issued invoice paid
by a payment, a mandate, a document, a conversation, a request, an alert, a quotient."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile

from invoicing.models import Allocation, Invoice, InvoiceLine, Mandate, Payment
from portal_features.models import (
    AuthorizedPerson,
    ChangeRequest,
    Consent,
    ConsentType,
    HealthRecord,
    Message,
    MessageAttachment,
    Notification,
    QuotientRecord,
    Service,
    Theme,
    Thread,
    Vaccination,
)
from reservations.models import (
    Absence,
    Order,
    OrderLine,
    Reservation,
    ReservationEvent,
)
from tests import factories
from tests.invoicing.conftest import make_regie
from tests.reservations.conftest import WEDNESDAY, make_world

PARIS = ZoneInfo("Europe/Paris")
LONG_AGO = datetime.datetime(2022, 11, 25, 10, 0, tzinfo=PARIS)
CERTIFICATE = b"%PDF-1.4 certificat medical"


@dataclass
class Life:
    world: object
    family: object
    guardian: object
    child: object
    reservation: object
    absent: object
    absence: object
    order: object
    invoice: object
    payment: object
    mandate: object
    document: object
    attachment: object


def make_life() -> Life:
    world = make_world()
    family, guardian, child = world.family, world.guardian, world.child
    family.address_line, family.city, family.postal_code = "3 rue des Lilas", "Montrivel", "45000"
    family.benefits_number, family.iban = "1234567", "FR7630006000011234567890189"
    family.bank_account_holder = "M. DURAND"
    family.save()
    guardian.phone_mobile, guardian.email = "0612345678", "parent@example.fr"
    guardian.save()
    child.school = "École Jules Ferry"
    child.save()
    staff = factories.UserFactory(is_staff=True)
    reservation = Reservation.objects.create(
        family=family,
        child=child,
        unit=world.unit,
        slot=world.slot(),
        day=WEDNESDAY,
        status="accepted",
        unit_price=Decimal("12.20"),
        attendance="present",
    )
    ReservationEvent.objects.create(
        reservation=reservation, actor=guardian.user, to_status="requested", note="demande"
    )
    ReservationEvent.objects.create(
        reservation=reservation,
        actor=staff,
        by_staff=True,
        from_status="requested",
        to_status="accepted",
    )
    next_week = WEDNESDAY + datetime.timedelta(days=7)
    absent = Reservation.objects.create(
        family=family,
        child=child,
        unit=world.unit,
        slot=world.slot(next_week),
        day=next_week,
        status="accepted",
        unit_price=Decimal("12.20"),
    )
    absence = Absence.objects.create(
        reservation=absent,
        reason="illness",
        comment="Gastro-entérite",
        status="excused",
        certificate=ContentFile(CERTIFICATE, name="certificat.pdf"),
        original_name="certificat-medical.pdf",
        content_type="application/pdf",
        size=len(CERTIFICATE),
    )
    order = Order.objects.create(number="2026-00042", family=family, total=Decimal("24.40"))
    for booked in (reservation, absent):
        OrderLine.objects.create(
            order=order,
            reservation=booked,
            action="book",
            unit_price=Decimal("12.20"),
            outcome="accepted",
        )
    regie = make_regie()
    invoice = Invoice.objects.create(
        regie=regie, family=family, month=datetime.date(2026, 11, 1), total=Decimal("12.20")
    )
    InvoiceLine.objects.create(
        invoice=invoice,
        child=child,
        reservation=reservation,
        day=WEDNESDAY,
        kind="childcare",
        label="Mercredi",
        quantity=1,
        unit_price=Decimal("12.20"),
        amount=Decimal("12.20"),
        source_key=f"reservation:{reservation.pk}",
    )
    # Issued as a run would (the lines are frozen once it is numbered).
    Invoice.objects.filter(pk=invoice.pk).update(
        status="issued",
        number="F-2026-000007",
        year=2026,
        sequence=7,
        issued_at=datetime.datetime(2026, 12, 3, 9, 0, tzinfo=PARIS),
        issued_on=datetime.date(2026, 12, 3),
        due_on=datetime.date(2026, 12, 31),
        payer={"name": "M. DURAND", "address": "3 rue des Lilas"},
    )
    invoice.refresh_from_db()
    payment = Payment.objects.create(
        regie=regie,
        family=family,
        mode="cheque",
        received_on=datetime.date(2026, 12, 10),
        amount=Decimal("12.20"),
        number="R-2026-000003",
        year=2026,
        sequence=3,
        payer_name="M. DURAND",
        cheque_bank="Crédit Agricole",
        cheque_number="0001234",
    )
    Allocation.objects.create(invoice=invoice, payment=payment, amount=Decimal("12.20"))
    mandate = Mandate.objects.create(
        regie=regie,
        family=family,
        rum="RUM-ALSH-0001",
        account_holder="M. DURAND",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        signed_on=datetime.date(2026, 9, 1),
    )
    document = factories.SupportingDocumentFactory(family=family)
    record = HealthRecord.objects.create(child=child, allergies="Arachides")
    Vaccination.objects.create(health_record=record, vaccine="DTP", date="2019-01-10")
    Consent.objects.create(
        child=child, consent_type=ConsentType.objects.create(name="Droit à l'image"), granted=True
    )
    AuthorizedPerson.objects.create(
        family=family, child=child, last_name="DURAND", first_name="Mamie", phone="0612345678"
    )
    service = Service.objects.create(name="Enfance")
    thread = Thread.objects.create(
        family=family,
        service=service,
        theme=Theme.objects.create(service=service, name="Cantine"),
        subject="Menu",
    )
    message = Message.objects.create(thread=thread, author=guardian.user, body="Bonjour")
    attachment = MessageAttachment.objects.create(
        message=message,
        file=ContentFile(b"png", name="photo.png"),
        original_name="photo.png",
        content_type="image/png",
        size=3,
    )
    Notification.objects.create(family=family, kind="new_message", title="Nouveau message")
    ChangeRequest.objects.create(
        family=family,
        target=family,
        summary="Adresse",
        changes={"city": ["Montrivel", "Orléans"]},
        created_by=guardian.user,
    )
    QuotientRecord.objects.create(
        family=family, value=Decimal("850"), valid_from=datetime.date(2026, 1, 1), source="caf"
    )
    return Life(
        world,
        family,
        guardian,
        child,
        reservation,
        absent,
        absence,
        order,
        invoice,
        payment,
        mandate,
        document,
        attachment,
    )


@pytest.fixture
def life(db) -> Life:
    return make_life()

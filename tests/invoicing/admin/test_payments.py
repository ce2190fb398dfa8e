"""The « Paiements » screens as Enfance staff use them: the payments list and a payment,
« Annuler le paiement » with its reason, the counter form and its errors, deposit slips,
online attempts, mandates, debit batches and their rejects, dockets, the fiscal ZIP, the
exports; each refused to Communication staff and to parents."""

import datetime
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from invoicing.choices import AttemptSource, MandateStatus, PaymentStatus
from invoicing.models import (
    CollectionDocket,
    DebitBatch,
    DepositSlip,
    Mandate,
    MoneyEvent,
    Payment,
    PaymentAttempt,
)
from invoicing.services.counter import counter_payment_record
from invoicing.services.sepa import debit_dates_assign
from portal_features.models import Child
from tests.admin.test_access import refused

from .money import AFTER_DUE, AT_COUNTER, DEBIT_ON, money_world
from .test_exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

PAYMENTS = reverse("invoicing_payment_modeladmin_index")
COUNTER = reverse("invoicing_payment_modeladmin_counter")
FISCAL = reverse("invoicing_payment_modeladmin_fiscal")
ATTEMPTS = reverse("invoicing_paymentattempt_modeladmin_index")
RECONCILE = reverse("invoicing_paymentattempt_modeladmin_reconcile")
SLIPS = reverse("invoicing_depositslip_modeladmin_index")
NEW_SLIP = reverse("invoicing_depositslip_modeladmin_create")
MANDATES = reverse("invoicing_mandate_modeladmin_index")
BATCHES = reverse("invoicing_debitbatch_modeladmin_index")
NEW_BATCH = reverse("invoicing_debitbatch_modeladmin_create")
DOCKETS = reverse("invoicing_collectiondocket_modeladmin_index")
NEW_DOCKET = reverse("invoicing_collectiondocket_modeladmin_create")


def url(model, action, pk):
    return reverse(f"invoicing_{model}_modeladmin_{action}", args=[pk])


def cheque(world, amount="20.00", family=None):
    return counter_payment_record(
        regie=world.regie,
        family=family or world.family,
        mode="cheque",
        amount=Decimal(amount),
        actor=world.staff,
        cheque_bank="Banque Postale",
        cheque_number="1234567",
        now=AT_COUNTER,
    )


@pytest.fixture
def world(db):
    return money_world()


@pytest.fixture
def complete(db):
    return money_world(complete=True)


def every_screen(world):
    return [
        PAYMENTS,
        url("payment", "inspect", world.cheque.pk),
        url("payment", "receipt", world.cheque.pk),
        COUNTER,
        FISCAL,
        ATTEMPTS,
        url("paymentattempt", "inspect", world.attempt.pk),
        RECONCILE,
        SLIPS,
        url("depositslip", "inspect", world.slip.pk),
        url("depositslip", "pdf", world.slip.pk),
        NEW_SLIP,
        MANDATES,
        url("mandate", "inspect", world.mandate.pk),
        BATCHES,
        url("debitbatch", "inspect", world.batch.pk),
        url("debitbatch", "xml", world.batch.pk),
        url("debitbatch", "reject_line", world.batch.lines.get().pk),
        NEW_BATCH,
        DOCKETS,
        url("collectiondocket", "inspect", world.docket.pk),
        NEW_DOCKET,
    ]


def test_enfance_staff_open_every_payments_screen(client, complete, enfance_user):
    client.force_login(enfance_user)

    statuses = {address: client.get(address).status_code for address in every_screen(complete)}

    assert {address: status for address, status in statuses.items() if status != 200} == {}


@pytest.mark.parametrize("who", ["communication", "parent"])
def test_communication_staff_and_parents_reach_no_payments_screen(
    client, complete, communication_user, who
):
    from portal_features.models import Guardian

    user = (
        communication_user
        if who == "communication"
        else Guardian.objects.filter(family=complete.family).first().user
    )
    client.force_login(user)
    payments = list(Payment.objects.order_by("pk").values_list("pk", "status"))

    answered = []
    for address in every_screen(complete):
        for response in (client.get(address), client.post(address, {"reason": "x"})):
            if not refused(response):
                answered.append((address, response.status_code))

    assert answered == []
    assert list(Payment.objects.order_by("pk").values_list("pk", "status")) == payments


def test_the_payments_list_is_searched_and_filtered(staff_client, world):
    first = cheque(world)
    second = cheque(world, "10.00", family=world.other)

    by_family = staff_client.get(PAYMENTS, {"q": "Bernard"})
    by_number = staff_client.get(PAYMENTS, {"q": first.number})
    by_mode = staff_client.get(PAYMENTS, {"mode__exact": "cash"})
    by_dates = staff_client.get(
        PAYMENTS, {"day_from": "2026-12-10", "day_to": "2026-12-10", "status__exact": "valid"}
    )

    assert list(by_family.context["object_list"]) == [second]
    assert list(by_number.context["object_list"]) == [first]
    assert list(by_mode.context["object_list"]) == []
    assert set(by_dates.context["object_list"]) == {first, second}


def test_a_payment_shows_what_it_paid_and_its_receipt(staff_client, world):
    payment = cheque(world)

    page = staff_client.get(url("payment", "inspect", payment.pk))
    receipt = staff_client.get(url("payment", "receipt", payment.pk))

    assert page.status_code == 200
    assert world.invoice.number in page.content.decode()
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_cancelling_a_payment_needs_a_reason_and_reopens_the_invoice(staff_client, world):
    payment = cheque(world)
    address = url("payment", "cancel", payment.pk)

    without = staff_client.post(address, {"reason": ""})
    assert without.status_code == 200
    assert without.context["form"].errors["reason"]
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.VALID

    done = staff_client.post(address, {"reason": "Chèque sans provision"})

    assert done.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.cancel_reason) == ("cancelled", "Chèque sans provision")
    assert world.invoice.__class__.objects.get(pk=world.invoice.pk).remaining == Decimal("48.80")
    assert MoneyEvent.objects.filter(action="payment_cancelled", note="Chèque sans provision")


def test_a_payment_in_a_deposit_slip_cannot_be_cancelled(staff_client, world):
    payment = cheque(world)
    staff_client.post(NEW_SLIP, {"regie": world.regie.pk, "mode": "cheque", "confirmed": "on"})

    response = staff_client.post(url("payment", "cancel", payment.pk), {"reason": "Erreur"})

    assert response.status_code == 200
    assert "bordereau de remise" in response.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.VALID


def counter_data(world, **changes):
    return {
        "regie": world.regie.pk,
        "family": world.family.pk,
        "mode": "cheque",
        "amount": "30.00",
        "cheque_bank": "Crédit Agricole",
        "cheque_number": "7654321",
        "payer_name": "Marie Arnaud",
        "invoices": [world.invoice.pk],
        **changes,
    }


def test_a_payment_is_recorded_at_the_counter(staff_client, world):
    response = staff_client.post(COUNTER, counter_data(world))

    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("payment", "inspect", payment.pk)
    assert (payment.mode, payment.amount, payment.cheque_number, payment.payer_name) == (
        "cheque",
        Decimal("30.00"),
        "7654321",
        "Marie Arnaud",
    )
    assert payment.allocations.get().invoice == world.invoice


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": ""}, "amount", "Champ requis."),
        ({"cheque_number": ""}, "cheque_number", "banque et le numéro du chèque"),
        ({"mode": "ancv"}, "mode", "n'accepte pas ce moyen de paiement"),
        ({"mode": "cesu", "amount": "100.00"}, "amount", "CESU"),
    ],
)
def test_the_counter_form_shows_its_errors_next_to_the_fields(
    staff_client, world, changes, field, message
):
    response = staff_client.post(COUNTER, counter_data(world, **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Payment.objects.exists()


def test_an_invoice_of_another_family_is_refused_at_the_counter(staff_client, world):
    other_invoice = world.invoice.__class__.objects.get(family=world.other, kind="invoice")

    response = staff_client.post(COUNTER, counter_data(world, invoices=[other_invoice.pk]))

    assert other_invoice.number in " ".join(response.context["form"].errors["invoices"])
    assert not Payment.objects.exists()


def test_a_deposit_slip_is_confirmed_then_created_with_its_pdf(staff_client, world):
    payment = cheque(world)

    preview = staff_client.post(NEW_SLIP, {"regie": world.regie.pk, "mode": "cheque"})
    assert preview.status_code == 200
    assert [p.pk for p in preview.context["pending"]] == [payment.pk]
    assert not DepositSlip.objects.exists()

    created = staff_client.post(
        NEW_SLIP, {"regie": world.regie.pk, "mode": "cheque", "confirmed": "True"}
    )

    slip = DepositSlip.objects.get()
    assert created["Location"] == url("depositslip", "inspect", slip.pk)
    assert Payment.objects.get(pk=payment.pk).deposit_slip == slip
    assert staff_client.get(url("depositslip", "pdf", slip.pk)).content.startswith(b"%PDF")
    again = staff_client.post(NEW_SLIP, {"regie": world.regie.pk, "mode": "cheque"})
    assert again.context["form"].non_field_errors() == ["Il n'y a rien à remettre en banque."]


def test_mandates_are_validated_or_refused_from_their_queue(staff_client, world):
    other = Mandate.objects.create(
        regie=world.regie,
        family=world.family,
        rum="RUM-TEST-2",
        account_holder="Marie Arnaud",
        iban="FR7630006000011234567890189",
        signed_on=datetime.date(2026, 11, 20),
    )
    listing = staff_client.get(MANDATES)
    assert set(listing.context["object_list"]) == {world.mandate, other}

    staff_client.post(url("mandate", "validate", world.mandate.pk), {})
    refused_without = staff_client.post(url("mandate", "refuse", other.pk), {"reason": ""})
    assert refused_without.status_code == 200
    staff_client.post(url("mandate", "refuse", other.pk), {"reason": "IBAN illisible"})

    world.mandate.refresh_from_db()
    other.refresh_from_db()
    assert world.mandate.status == MandateStatus.ACTIVE
    assert (other.status, other.refusal_reason) == (MandateStatus.REFUSED, "IBAN illisible")


def test_a_debit_batch_is_created_downloaded_and_a_reject_recorded(staff_client, world):
    staff_client.post(url("mandate", "validate", world.mandate.pk), {})
    debit_dates_assign(regie=world.regie)

    created = staff_client.post(
        NEW_BATCH, {"regie": world.regie.pk, "collection_date": DEBIT_ON.isoformat()}
    )
    batch = DebitBatch.objects.get()
    assert created["Location"] == url("debitbatch", "inspect", batch.pk)
    xml = staff_client.get(url("debitbatch", "xml", batch.pk))
    assert b"pain.008" in xml.content and world.mandate.rum.encode() in xml.content
    line = batch.lines.get()

    staff_client.post(url("debitbatch", "reject_line", line.pk), {"reason": "AM04 provision"})

    line.refresh_from_db()
    assert line.reject_reason == "AM04 provision"
    assert Payment.objects.get(pk=line.payment_id).status == PaymentStatus.CANCELLED


def test_a_docket_is_confirmed_then_built(staff_client, world, monkeypatch):
    # Ten days after November's due date, for the screen and the service.
    clock = SimpleNamespace(now=lambda: AFTER_DUE, localdate=lambda: AFTER_DUE.date())
    monkeypatch.setattr("invoicing.services.dockets.timezone", clock)
    monkeypatch.setattr("invoicing.admin.collection.timezone", clock)

    preview = staff_client.post(NEW_DOCKET, {"regie": world.regie.pk})
    assert len(preview.context["pending"]) == 3
    assert not CollectionDocket.objects.exists()
    staff_client.post(NEW_DOCKET, {"regie": world.regie.pk, "confirmed": "True"})

    docket = CollectionDocket.objects.get()
    assert docket.total == Decimal("146.40")
    assert docket.items.count() == 3


def test_an_attempt_shows_its_history_and_is_checked_with_the_provider(staff_client, complete):
    attempt = complete.attempt
    PaymentAttempt.objects.filter(pk=attempt.pk).update(needs_review=True)

    flagged = staff_client.get(ATTEMPTS, {"needs_review__exact": "1"})
    assert list(flagged.context["object_list"]) == [attempt]
    staff_client.post(url("paymentattempt", "refresh", attempt.pk))
    page = staff_client.get(url("paymentattempt", "inspect", attempt.pk))

    events = list(attempt.events.order_by("at", "pk"))
    assert attempt.events.latest("pk").source == AttemptSource.RECONCILIATION
    assert page.context["events"] == events
    assert staff_client.post(RECONCILE).status_code == 302


def test_the_fiscal_attestations_of_a_year_come_as_one_zip(staff_client, world):
    # The Arnauds' child is 4: what they paid for childcare in 2026 is attested.
    Child.objects.filter(families=world.family).update(birth_date=datetime.date(2022, 3, 1))
    cheque(world, "48.80")

    response = staff_client.post(FISCAL, {"year": "2026"})

    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert len(names) == 1 and names[0].endswith(".pdf")


def test_the_payments_export_in_french_with_amounts_as_numbers(staff_client, world):
    payment = cheque(world)

    rows = xlsx_rows(staff_client.get(PAYMENTS, {"export": "xlsx"}))
    lines = csv_rows(staff_client.get(PAYMENTS, {"export": "csv"}))

    assert rows[0][:3] == ["Numéro de reçu", "Date", "N° famille"]
    assert rows[0][7] == "Montant (€)"
    assert rows[1][0] == payment.number and rows[1][7] == 20
    assert lines[0] == rows[0]
    assert Decimal(lines[1][7]) == Decimal("20.00") and lines[1][9] == "Banque Postale"

"""Recording a payment: allocations oldest due first (or to the invoices chosen), never above
what an invoice owes, the rest a credit; gapless receipt numbers; cancelling reopens."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from invoicing.choices import MoneyAction, PaymentMode, PaymentStatus
from invoicing.errors import InvoicingError
from invoicing.models import Allocation, DepositSlip, Invoice, MoneyEvent, Payment
from invoicing.services import payment_cancel, payment_credit_apply, payment_record

from .conftest import PAYING

pytestmark = pytest.mark.django_db


def record(ledger, amount, **kwargs):
    values = {
        "regie": ledger.regie,
        "family": ledger.family,
        "mode": PaymentMode.CASH,
        "amount": Decimal(amount),
        "actor": ledger.staff,
        "now": PAYING,
        **kwargs,
    }
    return payment_record(**values)


def remaining(invoice):
    return Invoice.objects.get(pk=invoice.pk).remaining


def test_a_payment_pays_the_oldest_due_invoice_first_and_the_rest_is_a_credit(ledger):
    november, december = ledger.invoices
    assert (november.total, december.total) == (Decimal("48.80"), Decimal("36.60"))

    payment = record(ledger, "100.00")

    assert payment.shares == [(november.pk, Decimal("48.80")), (december.pk, Decimal("36.60"))]
    assert remaining(november) == remaining(december) == Decimal("0.00")
    assert payment.unallocated == Decimal("14.60")
    assert payment.number == "RALSH-27-000001"
    assert payment.received_on == datetime.date(2027, 1, 2)
    event = MoneyEvent.objects.get(action=MoneyAction.PAYMENT_RECORDED)
    assert event.actor == ledger.staff
    assert event.after["credit"] == "14.60"


def test_a_payment_for_chosen_invoices_pays_only_those(ledger):
    november, december = ledger.invoices
    payment = record(ledger, "20.00", invoices=[december])
    assert payment.shares == [(december.pk, Decimal("20.00"))]
    assert remaining(november) == Decimal("48.80")
    assert remaining(december) == Decimal("16.60")


def test_another_familys_invoice_cannot_be_chosen(ledger):
    other = ledger.add_family()[0]
    with pytest.raises(Invoice.DoesNotExist):
        record(ledger, "10.00", family=other, invoices=[ledger.invoices[0]])
    assert not Payment.objects.exists()


def test_receipt_numbers_follow_without_gaps_per_regie_and_year(ledger):
    numbers = [record(ledger, "1.00").number for _ in range(3)]
    assert numbers == ["RALSH-27-000001", "RALSH-27-000002", "RALSH-27-000003"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"amount": Decimal("0.00")},
        {"amount": Decimal("-5.00")},
        {"amount": Decimal("1.005")},
        {"mode": PaymentMode.CHEQUE},
        {"mode": "bitcoin"},
    ],
)
def test_bad_payments_are_refused(ledger, kwargs):
    values = {"amount": "10.00", **kwargs}
    with pytest.raises(InvoicingError):
        record(ledger, **values)
    assert not Payment.objects.exists()


def test_a_cheque_keeps_its_bank_and_number(ledger):
    payment = record(
        ledger,
        "48.80",
        mode=PaymentMode.CHEQUE,
        cheque_bank="Crédit Agricole",
        cheque_number="1234567",
    )
    assert (payment.cheque_bank, payment.cheque_number) == ("Crédit Agricole", "1234567")


def test_cancelling_reopens_the_invoices_and_keeps_the_payment(ledger):
    november, december = ledger.invoices
    payment = record(ledger, "60.00")

    payment_cancel(payment=payment, reason="Chèque sans provision", actor=ledger.staff, now=PAYING)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert payment.cancel_reason == "Chèque sans provision"
    assert payment.cancelled_by == ledger.staff
    assert [row["amount"] for row in payment.cancelled_allocations] == ["48.80", "11.20"]
    assert remaining(november) == Decimal("48.80") and remaining(december) == Decimal("36.60")
    assert not Allocation.objects.filter(payment=payment).exists()
    assert MoneyEvent.objects.filter(action=MoneyAction.PAYMENT_CANCELLED).count() == 1
    with pytest.raises(InvoicingError):
        payment_cancel(payment=payment, reason="Encore", actor=ledger.staff)


def test_cancelling_needs_a_reason(ledger):
    payment = record(ledger, "10.00")
    with pytest.raises(InvoicingError):
        payment_cancel(payment=payment, reason="  ", actor=ledger.staff)


def test_a_payment_in_a_deposit_slip_cannot_be_cancelled(ledger):
    payment = record(ledger, "48.80", mode=PaymentMode.CHEQUE, cheque_bank="LBP", cheque_number="1")
    slip = DepositSlip.objects.create(regie=ledger.regie, mode=PaymentMode.CHEQUE)
    Payment.objects.filter(pk=payment.pk).update(deposit_slip=slip)
    with pytest.raises(InvoicingError) as error:
        payment_cancel(payment=payment, reason="Erreur", actor=ledger.staff)
    assert "bordereau" in error.value.message or "deposit slip" in error.value.message
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.VALID


def test_a_payment_is_never_deleted(ledger):
    payment = record(ledger, "10.00")
    with pytest.raises(InvoicingError):
        payment.delete()
    if connection.vendor == "postgresql":
        from django.db import IntegrityError, InternalError, transaction

        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            Payment.objects.filter(pk=payment.pk).delete()
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            Payment.objects.filter(pk=payment.pk).update(amount=Decimal("99.00"))
    assert Payment.objects.filter(pk=payment.pk, amount=Decimal("10.00")).exists()


def test_an_overpayment_pays_the_next_invoice_later(ledger):
    november, december = ledger.invoices
    payment = record(ledger, "60.00", invoices=[november])
    assert payment.unallocated == Decimal("11.20")

    allocations = payment_credit_apply(regie=ledger.regie, family=ledger.family, actor=None)

    assert [(a.invoice_id, a.amount) for a in allocations] == [(december.pk, Decimal("11.20"))]
    assert remaining(december) == Decimal("25.40")
    assert Payment.objects.get(pk=payment.pk).unallocated == Decimal("0.00")
    assert payment_credit_apply(regie=ledger.regie, family=ledger.family, actor=None) == []


def test_an_invoice_handed_to_the_tresor_is_not_paid_here(ledger):
    november, december = ledger.invoices
    Invoice.objects.filter(pk=november.pk).update(handed_over_at=PAYING)
    payment = record(ledger, "50.00")
    assert payment.shares == [(december.pk, Decimal("36.60"))]
    assert payment.unallocated == Decimal("13.40")

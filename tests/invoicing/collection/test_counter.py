"""At the counter: cheques, cash, transfers, CESU and chèques-vacances with their rules; the
receipt; cheque deposit slips."""

import datetime
import io
from decimal import Decimal

import pytest
from django.http import Http404
from pypdf import PdfReader

from core.money import format_euros
from invoicing.choices import LineKind, PaymentMode
from invoicing.errors import InvoicingError
from invoicing.models import Invoice, Payment
from invoicing.receipts import deposit_slip_pdf, receipt_pdf, receipt_pdf_for_family
from invoicing.services import payment_cancel
from invoicing.services.counter import counter_payment_record, line_eligible
from invoicing.services.deposits import deposit_slip_create

from .conftest import AT_COUNTER

pytestmark = pytest.mark.django_db

LEO_AGE_4 = datetime.date(2022, 3, 1)
SIX_ON_THE_DAY = datetime.date(2020, 11, 2)
DAY = datetime.date(2026, 11, 2)


@pytest.mark.parametrize(
    ("mode", "kind", "calendar", "born", "pays"),
    [
        # CESU: périscolaire at any age, holidays under 6 only, never meals or penalties.
        (PaymentMode.CESU, LineKind.CHILDCARE, "school_days", datetime.date(2014, 1, 1), True),
        (PaymentMode.CESU, LineKind.CHILDCARE, "all_days", datetime.date(2014, 1, 1), True),
        (PaymentMode.CESU, LineKind.CHILDCARE, "holidays", LEO_AGE_4, True),
        (PaymentMode.CESU, LineKind.CHILDCARE, "holidays", SIX_ON_THE_DAY, False),
        (PaymentMode.CESU, LineKind.CHILDCARE, "holidays", datetime.date(2018, 5, 1), False),
        (PaymentMode.CESU, LineKind.MEAL, "school_days", LEO_AGE_4, False),
        (PaymentMode.CESU, LineKind.MEAL, "holidays", LEO_AGE_4, False),
        (PaymentMode.CESU, LineKind.PENALTY, "school_days", LEO_AGE_4, False),
        (PaymentMode.CESU, LineKind.CHILDCARE, None, LEO_AGE_4, False),
        # Chèques-vacances: holiday activities only (their care and meals).
        (PaymentMode.ANCV, LineKind.CHILDCARE, "holidays", datetime.date(2014, 1, 1), True),
        (PaymentMode.ANCV, LineKind.MEAL, "holidays", LEO_AGE_4, True),
        (PaymentMode.ANCV, LineKind.PENALTY, "holidays", LEO_AGE_4, False),
        (PaymentMode.ANCV, LineKind.CHILDCARE, "school_days", LEO_AGE_4, False),
        (PaymentMode.ANCV, LineKind.CHILDCARE, "all_days", LEO_AGE_4, False),
    ],
)
def test_which_lines_a_voucher_pays(mode, kind, calendar, born, pays):
    assert line_eligible(mode=mode, kind=kind, calendar=calendar, day=DAY, birth_date=born) is pays


def record(mixed, mode, amount, **kwargs):
    return counter_payment_record(
        regie=mixed.regie,
        family=mixed.family,
        mode=mode,
        amount=Decimal(amount),
        actor=mixed.staff,
        invoices=kwargs.pop("invoices", [mixed.invoice]),
        now=AT_COUNTER,
        **kwargs,
    )


# Périscolaire care of both 97.60 + Léo's holiday day 20.00; holiday care 40.00 + meals 10.00.
CAPS = {PaymentMode.CESU: Decimal("117.60"), PaymentMode.ANCV: Decimal("50.00")}


@pytest.mark.parametrize("mode", sorted(CAPS))
def test_a_voucher_pays_up_to_its_eligible_amount_and_no_cent_more(mixed, mode):
    assert mixed.invoice.total == Decimal("179.60")
    cap = CAPS[mode]

    with pytest.raises(InvoicingError) as refused:
        record(mixed, mode, cap + Decimal("0.01"))
    assert format_euros(cap) in refused.value.message
    assert not Payment.objects.exists()

    payment = record(mixed, mode, cap)
    assert payment.shares == [(mixed.invoice.pk, cap)]
    assert Invoice.objects.get(pk=mixed.invoice.pk).remaining == Decimal("179.60") - cap


def test_what_a_voucher_already_paid_lowers_its_cap(mixed):
    record(mixed, PaymentMode.CESU, "100.00")
    with pytest.raises(InvoicingError) as refused:
        record(mixed, PaymentMode.CESU, "17.61")
    assert format_euros(Decimal("17.60")) in refused.value.message
    record(mixed, PaymentMode.CESU, "17.60")
    # Cash still pays the rest, and more becomes a credit.
    cash = record(mixed, PaymentMode.CASH, "70.00")
    assert cash.shares == [(mixed.invoice.pk, Decimal("62.00"))]
    assert cash.unallocated == Decimal("8.00")


def test_a_voucher_never_pays_beyond_what_the_invoice_still_owes(mixed):
    record(mixed, PaymentMode.CASH, "150.00")  # 29.60 left
    with pytest.raises(InvoicingError) as refused:
        record(mixed, PaymentMode.CESU, "29.61")
    assert format_euros(Decimal("29.60")) in refused.value.message


def test_a_cheque_needs_its_bank_and_number_and_prints_them_on_the_receipt(mixed):
    with pytest.raises(InvoicingError):
        record(mixed, PaymentMode.CHEQUE, "50.00", cheque_bank="", cheque_number="1234567")
    payment = record(
        mixed,
        PaymentMode.CHEQUE,
        "50.00",
        cheque_bank="Crédit Agricole",
        cheque_number="1234567",
        payer_name="Claire Dupont",
    )
    text = pdf_text(receipt_pdf(payment=payment))
    for expected in (
        payment.number,
        "Crédit Agricole",
        "1234567",
        "Claire Dupont",
        mixed.invoice.number,
        mixed.regie.name,
        mixed.regie.siret,
        format_euros(Decimal("50.00")),
        "Chèque",
    ):
        assert expected in text


def test_the_receipt_is_the_payers_only(mixed):
    payment = record(mixed, PaymentMode.CASH, "10.00")
    assert receipt_pdf_for_family(family=mixed.family, payment_id=payment.pk).startswith(b"%PDF")
    other, _children = mixed.add_family()
    with pytest.raises(Http404):
        receipt_pdf_for_family(family=other, payment_id=payment.pk)


def test_a_means_the_regie_does_not_accept_is_refused(mixed):
    mixed.regie.payment_means = ["cash"]
    with pytest.raises(InvoicingError, match="n'accepte pas|does not accept"):
        record(mixed, PaymentMode.CESU, "10.00")
    with pytest.raises(InvoicingError):
        record(mixed, PaymentMode.ONLINE_CARD, "10.00")


def cheque(mixed, number, amount="10.00"):
    return record(
        mixed, PaymentMode.CHEQUE, amount, cheque_bank="La Banque Postale", cheque_number=number
    )


def test_a_deposit_slip_gathers_the_cheques_not_yet_deposited(mixed):
    first, second = cheque(mixed, "0000001"), cheque(mixed, "0000002", "12.50")
    record(mixed, PaymentMode.CASH, "5.00")
    slip = deposit_slip_create(regie=mixed.regie, actor=mixed.staff, now=AT_COUNTER)

    assert slip.number == "BALSH-26-000001"
    assert set(slip.payments.all()) == {first, second}
    text = pdf_text(deposit_slip_pdf(slip=slip))
    assert "0000001" in text and "0000002" in text
    assert format_euros(Decimal("22.50")) in text

    third = cheque(mixed, "0000003")
    again = deposit_slip_create(regie=mixed.regie, actor=mixed.staff, now=AT_COUNTER)
    assert again.number == "BALSH-26-000002"
    assert list(again.payments.all()) == [third]
    with pytest.raises(InvoicingError):
        deposit_slip_create(regie=mixed.regie, actor=mixed.staff, now=AT_COUNTER)


def test_a_deposited_cheque_can_no_longer_be_cancelled(mixed):
    deposited, kept = cheque(mixed, "0000001"), cheque(mixed, "0000002")
    deposit_slip_create(regie=mixed.regie, actor=mixed.staff, payments=[deposited], now=AT_COUNTER)
    with pytest.raises(InvoicingError, match=deposited.number):
        payment_cancel(payment=deposited, reason="Erreur de saisie", actor=mixed.staff)
    payment_cancel(payment=kept, reason="Erreur de saisie", actor=mixed.staff)
    assert Payment.objects.get(pk=kept.pk).status == "cancelled"
    assert Payment.objects.get(pk=deposited.pk).status == "valid"


def test_a_cancelled_cheque_is_not_deposited(mixed):
    cancelled = cheque(mixed, "0000001")
    payment_cancel(payment=cancelled, reason="Chèque sans provision", actor=mixed.staff)
    with pytest.raises(InvoicingError):
        deposit_slip_create(
            regie=mixed.regie, actor=mixed.staff, payments=[cancelled], now=AT_COUNTER
        )


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)

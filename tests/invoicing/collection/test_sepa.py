"""SEPA direct debit: mandates asked by families and validated by staff, debit dates on the
invoices, debit batches as valid pain.008 files, rejects that reopen the invoice."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from invoicing.choices import MandateSequence, MandateStatus, PaymentMode
from invoicing.errors import InvoicingError
from invoicing.models import DebitBatchLine, Invoice, Mandate, Payment
from invoicing.services.sepa import (
    debit_batch_create,
    debit_dates_assign,
    debit_reject_record,
    mandate_refuse,
    mandate_request,
    mandate_validate,
    mandates_lapse,
)
from portal_features.models import Notification

from ..conftest import IN_DECEMBER, NOVEMBER, make_billing
from ..ledger.conftest import bill

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR76 3000 6000 0112 3456 7890 189"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
# November's invoice is issued on 3 December 2026: 20 days later by default.
DEBIT_ON = datetime.date(2026, 12, 23)
BUILDING = datetime.datetime(2026, 12, 15, 9, 0, tzinfo=PARIS)


@pytest.fixture
def debits(db):
    billing = make_billing(
        payment_means=["cash", "cheque", "direct_debit"],
        sepa_iban="FR1420041010050500013M02606",
        sepa_bic="PSSTFRPPPAR",
        sepa_ics="FR72ZZZ123456",
    )
    family, (child,) = billing.add_family()
    other, (other_child,) = billing.add_family()
    from ..conftest import NOV_WEDNESDAYS

    billing.book_days(family, child, NOV_WEDNESDAYS)
    billing.book_days(other, other_child, NOV_WEDNESDAYS)
    billing.family, billing.other = family, other
    return billing


def ask(debits, family=None, **kwargs):
    values = {
        "family": family or debits.family,
        "regie": debits.regie,
        "account_holder": "Claire Dupont",
        "iban": IBAN,
        "bic": "AGRIFRPP",
        "signed_on": datetime.date(2026, 11, 20),
        **kwargs,
    }
    return mandate_request(**values)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"iban": "FR76 3000 6000 0112 3456 7890 188"}, "IBAN"),
        ({"bic": "AGRIF"}, "BIC"),
        ({"account_holder": " "}, ""),
    ],
)
def test_a_mandate_request_checks_its_bank_details(debits, changes, field):
    with pytest.raises(InvoicingError) as refused:
        ask(debits, **changes)
    assert field in refused.value.message
    assert not Mandate.objects.exists()


def test_a_mandate_is_requested_then_validated_once_per_family(debits):
    mandate = ask(debits)
    assert mandate.status == MandateStatus.REQUESTED
    assert mandate.rum == "RUM-ALSH-2026-000001" or mandate.rum.startswith("RUM-ALSH-")
    assert mandate.iban == "FR7630006000011234567890189"
    with pytest.raises(InvoicingError):
        ask(debits)
    mandate_validate(mandate=mandate, actor=debits.staff)
    assert Mandate.objects.get(pk=mandate.pk).status == MandateStatus.ACTIVE
    assert Notification.objects.filter(family=debits.family).count() == 1
    with pytest.raises(InvoicingError):
        mandate_refuse(mandate=mandate, reason="Trop tard", actor=debits.staff)


def test_a_refused_mandate_tells_the_family_why_and_a_new_request_is_possible(debits):
    mandate = ask(debits)
    with pytest.raises(InvoicingError):
        mandate_refuse(mandate=mandate, reason="", actor=debits.staff)
    mandate_refuse(mandate=mandate, reason="RIB illisible", actor=debits.staff)
    assert "RIB illisible" in Notification.objects.get(family=debits.family).body
    assert ask(debits).status == MandateStatus.REQUESTED


def test_a_mandate_unused_for_36_months_lapses(debits):
    mandate = ask(debits, signed_on=datetime.date(2023, 12, 6))
    mandate_validate(mandate=mandate, actor=debits.staff)
    assert mandates_lapse(now=datetime.datetime(2026, 12, 5, 9, tzinfo=PARIS)) == 0
    assert mandates_lapse(now=datetime.datetime(2026, 12, 6, 9, tzinfo=PARIS)) == 1
    mandate.refresh_from_db()
    assert (mandate.status, mandate.lapsed_on) == (MandateStatus.LAPSED, datetime.date(2026, 12, 6))


def active_and_billed(debits):
    mandate = ask(debits)
    mandate_validate(mandate=mandate, actor=debits.staff)
    bill(debits, NOVEMBER, IN_DECEMBER)  # the finalisation dates the debit, before the PDF
    assert debit_dates_assign(regie=debits.regie) == 0  # once only
    return mandate, Invoice.objects.get(family=debits.family)


def test_a_debit_date_is_given_only_to_invoices_still_owed_of_families_with_a_mandate(debits):
    mandate = ask(debits)
    bill(debits, NOVEMBER, IN_DECEMBER)
    assert not Invoice.objects.filter(debit_on__isnull=False).exists()  # only requested
    mandate_validate(mandate=mandate, actor=debits.staff)
    assert debit_dates_assign(regie=debits.regie) == 1
    assert Invoice.objects.get(family=debits.family).debit_on == DEBIT_ON
    assert Invoice.objects.get(family=debits.other).debit_on is None


def test_a_batch_debits_the_invoices_printing_its_date_as_a_valid_pain008(debits):
    mandate, invoice = active_and_billed(debits)
    assert invoice.issued_on == datetime.date(2026, 12, 3)
    assert invoice.debit_on == DEBIT_ON
    assert Invoice.objects.get(family=debits.other).debit_on is None  # no mandate

    batch = debit_batch_create(
        regie=debits.regie, collection_date=DEBIT_ON, actor=debits.staff, now=BUILDING
    )

    assert batch.number == "PALSH-26-000001"
    assert batch.total == invoice.total == Decimal("48.80")
    (line,) = batch.lines.all()
    assert (line.invoice, line.sequence) == (invoice, MandateSequence.FIRST)
    assert line.payment.mode == PaymentMode.DIRECT_DEBIT
    assert line.payment.received_on == DEBIT_ON
    assert Invoice.objects.get(pk=invoice.pk).remaining == Decimal("0.00")
    document = etree.fromstring(bytes(batch.xml))
    assert document.findtext(".//p:ReqdColltnDt", namespaces=NS) == "2026-12-23"
    assert document.findtext(".//p:SeqTp", namespaces=NS) == "FRST"
    assert document.findtext(".//p:MndtId", namespaces=NS) == mandate.rum
    assert document.findtext(".//p:EndToEndId", namespaces=NS) == invoice.number
    mandate.refresh_from_db()
    assert (mandate.sequence, mandate.last_debit_on) == (MandateSequence.RECURRENT, DEBIT_ON)
    with pytest.raises(InvoicingError):  # nothing left to debit that day
        debit_batch_create(
            regie=debits.regie, collection_date=DEBIT_ON, actor=debits.staff, now=BUILDING
        )


def test_a_debit_date_less_than_14_days_after_the_invoice_is_refused(debits):
    _mandate, invoice = active_and_billed(debits)
    Invoice.objects.filter(pk=invoice.pk).update(debit_on=datetime.date(2026, 12, 16))
    with pytest.raises(InvoicingError, match="14"):
        debit_batch_create(
            regie=debits.regie,
            collection_date=datetime.date(2026, 12, 16),
            actor=debits.staff,
            now=datetime.datetime(2026, 12, 10, 9, tzinfo=PARIS),
        )
    # Nothing was left behind: no payment, no line, and the receipt counter rolled back.
    assert not Payment.objects.exists()
    assert not DebitBatchLine.objects.exists()


def test_a_reject_reopens_the_invoice_and_tells_the_family(debits):
    mandate, invoice = active_and_billed(debits)
    batch = debit_batch_create(
        regie=debits.regie, collection_date=DEBIT_ON, actor=debits.staff, now=BUILDING
    )
    (line,) = batch.lines.all()
    Notification.objects.all().delete()

    debit_reject_record(line=line, reason="AM04 provision insuffisante", actor=debits.staff)

    payment = Payment.objects.get(pk=line.payment_id)
    assert payment.status == "cancelled"
    assert "AM04" in payment.cancel_reason
    assert Invoice.objects.get(pk=invoice.pk).remaining == Decimal("48.80")
    (notification,) = Notification.objects.filter(family=debits.family)
    assert invoice.number in notification.title and "AM04" in notification.body
    mandate.refresh_from_db()
    assert mandate.sequence == MandateSequence.FIRST  # a rejected first debit: first again
    with pytest.raises(InvoicingError):
        debit_reject_record(line=line, reason="AM04", actor=debits.staff)

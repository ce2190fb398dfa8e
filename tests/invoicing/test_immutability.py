"""An issued invoice or credit note never changes nor disappears: the model refuses, and on
PostgreSQL the database refuses the same to whoever bypasses the model."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from invoicing.choices import InvoiceStatus
from invoicing.errors import InvoicingError
from invoicing.models import Allocation, Invoice, InvoiceLine
from invoicing.services import run_draft, run_finalize

from .conftest import IN_DECEMBER, NOV_WEDNESDAYS, NOVEMBER

pytestmark = pytest.mark.django_db


def postgres_only(test):
    marked = pytest.mark.postgres(test)
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the immutability triggers are PostgreSQL's"
    )(marked)


@pytest.fixture
def issued(billing):
    family, (child,) = billing.add_family()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(
        regie=billing.regie,
        month=NOVEMBER,
        actor=billing.staff,
        now=IN_DECEMBER,
        sources=billing.provider,
    )
    run_finalize(run=run, actor=billing.staff, now=IN_DECEMBER)
    return Invoice.objects.get(run=run)


def refused(action):
    with pytest.raises(DatabaseError), transaction.atomic():
        action()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total", Decimal("1.00")),
        ("number", "FALSH-26-999999"),
        ("due_on", NOV_WEDNESDAYS[0]),
        ("payer", {"name": "AUTRE"}),
        ("status", InvoiceStatus.DRAFT),
    ],
)
def test_the_model_refuses_to_change_an_issued_invoice(issued, field, value):
    invoice = Invoice.objects.get(pk=issued.pk)
    setattr(invoice, field, value)
    with pytest.raises(InvoicingError, match="FALSH-26-000001"):
        invoice.save()
    assert Invoice.objects.get(pk=issued.pk).total == Decimal("48.80")


def test_the_model_refuses_to_delete_an_issued_invoice_or_touch_its_lines(issued):
    with pytest.raises(InvoicingError):
        Invoice.objects.get(pk=issued.pk).delete()
    line = issued.lines.first()
    line.unit_price = line.amount = Decimal("0.50")
    with pytest.raises(InvoicingError):
        line.save()
    with pytest.raises(InvoicingError):
        line.delete()
    with pytest.raises(InvoicingError):
        InvoiceLine(
            invoice=issued,
            child=line.child,
            day=line.day,
            kind="other",
            quantity=1,
            unit_price=Decimal("1.00"),
            amount=Decimal("1.00"),
            source_key="extra",
        ).save()
    assert issued.lines.count() == 4


def test_the_model_lets_a_draft_change(billing):
    family, (child,) = billing.add_family()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider)
    invoice = Invoice.objects.get(run=run)
    invoice.payer = {"name": "CORRIGÉ"}
    invoice.save()
    invoice.lines.first().delete()
    assert invoice.lines.count() == 3


@postgres_only
@pytest.mark.parametrize(
    "change",
    [{"total": Decimal("1.00")}, {"number": "X-1"}, {"family": None}, {"status": "draft"}],
    ids=["total", "number", "payer", "back to draft"],
)
def test_the_database_refuses_an_update_that_bypasses_the_model(issued, change):
    if "family" in change:
        change = {"family_id": issued.family_id + 1000}
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(**change))
    assert Invoice.objects.get(pk=issued.pk).total == Decimal("48.80")


@postgres_only
def test_the_database_refuses_raw_sql_and_bulk_deletes(issued):
    def raw(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, [issued.pk])

        return run

    refused(raw("UPDATE invoicing_invoice SET total = 0 WHERE id = %s"))
    refused(raw("DELETE FROM invoicing_invoice WHERE id = %s"))
    refused(
        raw("UPDATE invoicing_invoiceline SET amount = 0, unit_price = 0 WHERE invoice_id = %s")
    )
    refused(raw("DELETE FROM invoicing_invoiceline WHERE invoice_id = %s"))
    refused(lambda: Invoice.objects.filter(pk=issued.pk).delete())
    refused(lambda: InvoiceLine.objects.filter(invoice=issued).delete())
    line = issued.lines.first()
    line.pk = None
    refused(lambda: InvoiceLine.objects.bulk_create([line]))
    assert Invoice.objects.filter(pk=issued.pk).exists()
    assert issued.lines.count() == 4


@postgres_only
def test_the_database_lets_the_status_move_to_cancelled_and_the_pdf_be_written_once(issued):
    Invoice.objects.filter(pk=issued.pk).update(pdf="invoices/a.pdf", pdf_sha256="a" * 64)
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(pdf="invoices/b.pdf"))
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(pdf_sha256="b" * 64))
    Invoice.objects.filter(pk=issued.pk).update(status=InvoiceStatus.CANCELLED)
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(status=InvoiceStatus.ISSUED))


@postgres_only
def test_the_database_lets_drafts_change_and_go(billing):
    family, (child,) = billing.add_family()
    billing.book_days(family, child, NOV_WEDNESDAYS)
    run = run_draft(regie=billing.regie, month=NOVEMBER, actor=None, sources=billing.provider)
    Invoice.objects.filter(run=run).update(total=Decimal("1.00"))
    InvoiceLine.objects.filter(invoice__run=run).delete()
    Invoice.objects.filter(run=run).delete()
    assert not Invoice.objects.exists()


@postgres_only
def test_the_database_refuses_allocations_beyond_the_totals(billing, issued):
    other, (child,) = billing.add_family()
    credit_note = Invoice.objects.create(
        regie=billing.regie,
        family=issued.family,
        kind="credit_note",
        month=NOVEMBER,
        total=Decimal("-100.00"),
    )
    Invoice.objects.filter(pk=credit_note.pk).update(
        status="issued",
        number="A-1",
        year=2026,
        sequence=1,
        issued_at=issued.issued_at,
        issued_on=issued.issued_on,
        due_on=issued.due_on,
    )
    Allocation.objects.create(invoice=issued, credit_note=credit_note, amount=Decimal("40.00"))
    refused(
        lambda: Allocation.objects.create(
            invoice=issued, credit_note=credit_note, amount=Decimal("8.81")
        )
    )
    Allocation.objects.create(invoice=issued, credit_note=credit_note, amount=Decimal("8.80"))
    refused(lambda: Allocation.objects.filter(invoice=issued).update(amount=Decimal("48.00")))

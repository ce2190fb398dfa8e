"""What a family reads of its invoices: its own only, with derived states, in a number of
queries that does not grow with the family."""

import datetime
from decimal import Decimal

import pytest

from invoicing.choices import PaymentState
from invoicing.models import Invoice
from invoicing.selectors import (
    account_statement,
    family_invoices,
    family_unpaid_invoices,
    invoice_detail,
    invoices_by_month,
)
from invoicing.services import invoice_cancel, run_corrective, run_draft, run_finalize

from .conftest import DEC_WEDNESDAYS, DECEMBER, IN_DECEMBER, IN_JANUARY, NOV_WEDNESDAYS, NOVEMBER

pytestmark = pytest.mark.django_db

SCHOOL_YEAR = (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))


def bill(billing, month, now, kind="regular"):
    action = run_draft if kind == "regular" else run_corrective
    run = action(
        regie=billing.regie, month=month, actor=billing.staff, now=now, sources=billing.provider
    )
    return run_finalize(run=run, actor=billing.staff, now=now)


def family_with_children(billing, children):
    family, kids = billing.add_family(children=children)
    for kid in kids:
        billing.book_days(family, kid, NOV_WEDNESDAYS)
        billing.book_days(family, kid, DEC_WEDNESDAYS)
    return family, kids


def test_states_are_derived_from_allocations_and_due_dates(billing):
    family, (child,) = family_with_children(billing, 1)
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    november = Invoice.objects.get(family=family, month=NOVEMBER)
    billing.provider.free(november.lines.first().reservation)
    bill(billing, NOVEMBER, IN_JANUARY, kind="corrective")  # a credit note of 12.20

    today = datetime.date(2027, 1, 10)  # November's invoice was due on 2 January
    states = {(d.kind, d.month): d.state for d in family_invoices(family=family, today=today)}

    assert states == {
        ("invoice", NOVEMBER): PaymentState.OVERDUE,
        ("invoice", DECEMBER): PaymentState.TO_PAY,
        ("credit_note", NOVEMBER): PaymentState.CREDIT_USED,
    }
    november = next(
        d for d in family_invoices(family=family, today=today) if d.number == november.number
    )
    assert (november.paid, november.remaining) == (Decimal("12.20"), Decimal("36.60"))
    assert [d.number for d in family_unpaid_invoices(family=family, today=today)] == [
        november.number,
        "FALSH-27-000001",
    ]
    months = invoices_by_month(family=family, today=today, year=2026)
    assert [(month, len(documents)) for month, documents in months] == [
        (DECEMBER, 1),
        (NOVEMBER, 2),
    ]


def test_a_fully_credited_invoice_is_paid_and_a_cancelled_one_says_so(billing):
    family, _ = family_with_children(billing, 1)
    bill(billing, NOVEMBER, IN_DECEMBER)
    invoice = Invoice.objects.get(family=family)
    invoice_cancel(invoice=invoice, reason="Erreur", actor=billing.staff, now=IN_DECEMBER)

    (document,) = [
        d for d in family_invoices(family=family, today=IN_DECEMBER.date()) if d.pk == invoice.pk
    ]
    assert document.state == PaymentState.CANCELLED
    assert document.state_label == "Annulée"


def test_another_familys_invoice_is_not_found(billing):
    family, _ = family_with_children(billing, 1)
    other, _ = family_with_children(billing, 1)
    bill(billing, NOVEMBER, IN_DECEMBER)
    theirs = Invoice.objects.get(family=other)

    assert invoice_detail(family=family, invoice_id=theirs.pk, today=IN_DECEMBER.date()) is None
    assert theirs.pk not in {d.pk for d in family_invoices(family=family, today=IN_DECEMBER.date())}
    mine = Invoice.objects.get(family=family)
    detail = invoice_detail(family=family, invoice_id=mine.pk, today=IN_DECEMBER.date())
    assert len(detail.lines) == 4 and detail.state == PaymentState.TO_PAY


def test_the_account_statement_runs_debits_credits_and_balance(billing):
    family, _ = family_with_children(billing, 1)
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    invoice_cancel(
        invoice=Invoice.objects.get(family=family, month=DECEMBER),
        reason="Erreur",
        actor=None,
        now=IN_JANUARY,
    )

    statement = account_statement(
        family=family, regie=billing.regie, start=SCHOOL_YEAR[0], end=SCHOOL_YEAR[1]
    )

    assert [(e.debit, e.credit, e.balance) for e in statement.entries] == [
        (Decimal("48.80"), Decimal("0.00"), Decimal("48.80")),
        (Decimal("36.60"), Decimal("0.00"), Decimal("85.40")),
        (Decimal("0.00"), Decimal("36.60"), Decimal("48.80")),
    ]
    assert (statement.debit, statement.credit, statement.balance) == (
        Decimal("85.40"),
        Decimal("36.60"),
        Decimal("48.80"),
    )
    other_year = account_statement(
        family=family,
        regie=billing.regie,
        start=datetime.date(2027, 9, 1),
        end=datetime.date(2028, 8, 31),
    )
    assert other_year.entries == []


@pytest.mark.parametrize("children", [1, 4])
def test_query_counts_do_not_grow_with_the_family(billing, children, django_assert_num_queries):
    family, _ = family_with_children(billing, children)
    bill(billing, NOVEMBER, IN_DECEMBER)
    bill(billing, DECEMBER, IN_JANUARY)
    invoice = Invoice.objects.filter(family=family).first()
    today = datetime.date(2027, 1, 10)

    with django_assert_num_queries(1):
        family_invoices(family=family, today=today)
    with django_assert_num_queries(3):
        invoice_detail(family=family, invoice_id=invoice.pk, today=today)
    with django_assert_num_queries(1):
        account_statement(
            family=family, regie=billing.regie, start=SCHOOL_YEAR[0], end=SCHOOL_YEAR[1]
        )

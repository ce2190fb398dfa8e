"""What a family reads of its invoices: each query is filtered by the family, and the number
of queries does not grow with the number of invoices, lines or children."""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import NUMBERED, InvoiceKind, InvoiceStatus, MandateStatus
from .models import Allocation, Invoice, InvoiceLine, Mandate, Regie
from .payments.sepa_fields import masked_iban

ZERO = Decimal("0.00")


def _allocated(side: str):
    """What the allocations moved onto an invoice (`side="invoice"`) or took from a credit
    note (`side="credit_note"`), per row, as a subquery: zero when there are none."""
    return Coalesce(
        Subquery(
            Allocation.objects.filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        ),
        Value(ZERO),
    )


def family_documents(*, family):
    """The family's issued (or cancelled) invoices and credit notes, with what was paid on
    each and what each credit note already paid: one query."""
    return (
        Invoice.objects.for_family(family)
        .numbered()
        .select_related("regie", "run", "corrects", "replaces")
        .annotate(paid_amount=_allocated("invoice"), used_amount=_allocated("credit_note"))
    )


def family_invoices(
    *, family, today: datetime.date, year: int | None = None, month: int | None = None
) -> list[Invoice]:
    """The family's documents, newest first, each with `state` and `state_label` (à payer,
    payée, partiellement payée, en retard, annulée; avoir disponible ou utilisé)."""
    documents = family_documents(family=family)
    if year is not None:
        documents = documents.filter(month__year=year)
    if month is not None:
        documents = documents.filter(month__month=month)
    result = list(documents.order_by("-month", "-issued_at", "-pk"))
    for document in result:
        document.state = document.payment_state(today=today)
        document.state_label = document.payment_state_label(today=today)
    return result


def invoices_by_month(*, family, today: datetime.date, year: int) -> list[tuple]:
    """[(first day of the month, [documents…]), …], newest month first."""
    months: OrderedDict = OrderedDict()
    for document in family_invoices(family=family, today=today, year=year):
        months.setdefault(document.month, []).append(document)
    return list(months.items())


def family_unpaid_invoices(*, family, today: datetime.date) -> list[Invoice]:
    """What the family still owes, oldest due first (for its home page)."""
    documents = family_invoices(family=family, today=today)
    unpaid = [d for d in documents if d.kind == InvoiceKind.INVOICE and d.remaining > 0]
    return sorted(unpaid, key=lambda d: (d.due_on, d.pk))


@dataclass
class InvoiceDetail:
    invoice: Invoice
    lines: list[InvoiceLine]
    allocations: list[Allocation]
    state: str
    state_label: str


def invoice_detail(*, family, invoice_id: int, today: datetime.date) -> InvoiceDetail | None:
    """One of the family's documents with its lines and what paid it (three queries); None
    for an id that is not the family's."""
    invoice = family_documents(family=family).filter(pk=invoice_id).first()
    if invoice is None:
        return None
    lines = list(
        invoice.lines.select_related("child", "unit", "activity").order_by(
            "child__birth_date", "child_id", "day", "pk"
        )
    )
    allocations = list(
        Allocation.objects.filter(Q(invoice=invoice) | Q(credit_note=invoice))
        .select_related("invoice", "credit_note")
        .order_by("created_at", "pk")
    )
    return InvoiceDetail(
        invoice=invoice,
        lines=lines,
        allocations=allocations,
        state=invoice.payment_state(today=today),
        state_label=invoice.payment_state_label(today=today),
    )


@dataclass
class DebitNotice:
    """« Cette facture sera prélevée le … sur le compte … »: what the invoice's PDF and the
    family's page say of a debit to come."""

    on: datetime.date
    iban: str  # masked; empty when the family has no active mandate any more


def invoice_debit_notice(invoice: Invoice) -> DebitNotice | None:
    """The debit announced on an issued invoice that still owes (`Invoice.debit_on`, set
    with the family's active mandate at issue), else None."""
    if (
        invoice.debit_on is None
        or invoice.kind != InvoiceKind.INVOICE
        or invoice.status != InvoiceStatus.ISSUED
        or invoice.handed_over_at is not None
        or invoice.remaining <= 0
    ):
        return None
    mandate = (
        Mandate.objects.filter(
            regie_id=invoice.regie_id, family_id=invoice.family_id, status=MandateStatus.ACTIVE
        )
        .only("iban")
        .first()
    )
    return DebitNotice(on=invoice.debit_on, iban=masked_iban(mandate.iban) if mandate else "")


@dataclass
class StatementEntry:
    date: datetime.date
    document: Invoice
    debit: Decimal
    credit: Decimal
    balance: Decimal


@dataclass
class Statement:
    regie: object
    start: datetime.date
    end: datetime.date
    entries: list[StatementEntry] = field(default_factory=list)
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


def account_statement(*, family, regie, start: datetime.date, end: datetime.date) -> Statement:
    """« Relevé de compte » of a school year (`start`–`end`, the months billed) and a régie:
    invoices are debits, credit notes credits, with the running balance. One query."""
    statement = Statement(regie=regie, start=start, end=end)
    documents = (
        Invoice.objects.for_family(family)
        .numbered()
        .filter(regie=regie, month__gte=start.replace(day=1), month__lte=end)
        .select_related("corrects")
        .order_by("issued_at", "pk")
    )
    balance = ZERO
    for document in documents:
        debit = document.total if document.kind == InvoiceKind.INVOICE else ZERO
        credit = -document.total if document.kind == InvoiceKind.CREDIT_NOTE else ZERO
        balance += debit - credit
        statement.debit += debit
        statement.credit += credit
        statement.entries.append(
            StatementEntry(
                date=document.issued_on,
                document=document,
                debit=debit,
                credit=credit,
                balance=balance,
            )
        )
    return statement


@dataclass
class AttestationRow:
    activity: str
    days: int
    amount: Decimal


def attendance_attestation_rows(
    *, family, child, start: datetime.date, end: datetime.date
) -> list[AttestationRow]:
    """Per activity, the days billed to the family for the child between `start` and `end`
    (net of what was taken back) and the amount invoiced. One query."""
    lines = (
        InvoiceLine.objects.filter(
            invoice__family=family,
            invoice__status__in=["issued", "cancelled"],
            child=child,
            day__gte=start,
            day__lte=end,
        )
        .select_related("activity")
        .order_by("activity__name", "day")
    )
    per_activity: OrderedDict = OrderedDict()
    for line in lines:
        name = line.activity.name if line.activity else line.label
        row = per_activity.setdefault(name, {"days": {}, "amount": ZERO})
        row["days"][line.day] = row["days"].get(line.day, 0) + line.quantity
        row["amount"] += line.amount
    return [
        AttestationRow(
            activity=name,
            days=sum(1 for quantity in row["days"].values() if quantity > 0),
            amount=row["amount"],
        )
        for name, row in per_activity.items()
        if row["amount"] or any(q > 0 for q in row["days"].values())
    ]


# --- The family's « Factures » screens ------------------------------------------------------


def school_year_of(day: datetime.date) -> int:
    """The first calendar year of the school year (1 September → 31 August) `day` is in."""
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def family_school_years(*, family) -> list[int]:
    """The school years (by their first year) the family was billed in, newest first."""
    months = family_documents(family=family).dates("month", "month", order="DESC")
    return sorted({school_year_of(month) for month in months}, reverse=True)


def family_regies(*, family) -> list:
    """The régies that issued documents to the family, by name (one query)."""
    return list(
        Regie.objects.filter(invoices__family=family, invoices__status__in=NUMBERED)
        .distinct()
        .order_by("name", "pk")
    )


def opening_balance(*, family, regie, start: datetime.date) -> Decimal:
    """« Ancien solde »: what the documents of the months before `start` leave (one query)."""
    return (
        Invoice.objects.for_family(family)
        .numbered()
        .filter(regie=regie, month__lt=start.replace(day=1))
        .aggregate(s=Sum("total"))["s"]
        or ZERO
    )


def family_balance_due(*, family, today: datetime.date) -> tuple[list[Invoice], Decimal]:
    """(the unpaid invoices, oldest due first; what the family owes on them)."""
    unpaid = family_unpaid_invoices(family=family, today=today)
    return unpaid, sum((invoice.remaining for invoice in unpaid), ZERO)

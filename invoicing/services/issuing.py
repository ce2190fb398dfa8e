"""Issuing documents: the months they bill, locked; their numbers, taken from the kernel's
gapless counter inside the issuing transaction; their status, through the table."""

import datetime
import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from core.counters import counter_take
from core.time import local_today

from ..choices import InvoiceKind, InvoiceStatus
from ..errors import InvoicingError
from ..lines import DraftLine
from ..models import BilledMonth, Invoice, InvoiceLine
from ..numbering import counter_scope, document_number
from .transitions import transition

PDF_BATCH = 500
NUMBERED_FIELDS = ["status", "year", "sequence", "number", "issued_at", "issued_on", "due_on"]


def months_basis(*, regie, months: Iterable[datetime.date]) -> dict[str, int]:
    """The versions a draft is computed against (0 for a month nothing was billed in)."""
    months = sorted(set(months))
    known = dict(
        BilledMonth.objects.filter(regie=regie, month__in=months).values_list("month", "version")
    )
    return {month.isoformat(): known.get(month, 0) for month in months}


def months_lock(*, regie, basis: dict[str, int]) -> None:
    """Lock the months a draft covers, in month order; refuse if documents billing one of
    them were issued since the draft; then move their versions on (this commit bills them).
    """
    months = sorted(datetime.date.fromisoformat(month) for month in basis)
    BilledMonth.objects.bulk_create(
        [BilledMonth(regie=regie, month=month) for month in months], ignore_conflicts=True
    )
    rows = list(
        BilledMonth.objects.select_for_update()
        .filter(regie=regie, month__in=months)
        .order_by("month")
        .values_list("month", "version")
    )
    if any(version != basis[month.isoformat()] for month, version in rows):
        raise InvoicingError(
            _(
                "Documents for these months were issued since this draft was prepared: "
                "prepare it again, then finalize it."
            )
        )
    BilledMonth.objects.filter(regie=regie, month__in=months).update(version=F("version") + 1)


def documents_issue(*, documents: list[Invoice], regie, now: datetime.datetime) -> None:
    """Number the draft documents in list order, one series per kind, and issue them."""
    issued_on = local_today(now)
    year = issued_on.year
    formats = {
        InvoiceKind.INVOICE: regie.invoice_number_format,
        InvoiceKind.CREDIT_NOTE: regie.credit_note_number_format,
    }
    for kind, number_format in formats.items():
        of_kind = [document for document in documents if document.kind == kind]
        if not of_kind:
            continue
        first = counter_take(scope=counter_scope(kind, regie.code), year=year, count=len(of_kind))
        due_on = issued_on + datetime.timedelta(days=regie.due_days)
        for offset, document in enumerate(of_kind):
            transition(instance=document, to_status=InvoiceStatus.ISSUED)
            document.year = year
            document.sequence = first + offset
            document.number = document_number(
                number_format, regie_code=regie.code, year=year, sequence=first + offset
            )
            document.issued_at = now
            document.issued_on = issued_on
            document.due_on = due_on if kind == InvoiceKind.INVOICE else issued_on
    _save_numbered(documents)


def _save_numbered(documents: list[Invoice]) -> None:
    if not documents:
        return
    if connection.vendor != "postgresql":
        Invoice.objects.bulk_update(documents, NUMBERED_FIELDS, batch_size=500)
        return
    # One statement for the whole run: thousands of invoices in a few milliseconds.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE invoicing_invoice AS i
            SET status = v.status, year = v.year, sequence = v.sequence, number = v.number,
                issued_at = v.issued_at, issued_on = v.issued_on, due_on = v.due_on
            FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::int[], %s::text[],
                        %s::timestamptz[], %s::date[], %s::date[])
                 AS v(id, status, year, sequence, number, issued_at, issued_on, due_on)
            WHERE i.id = v.id AND i.status = 'draft'
            """,
            [
                [d.pk for d in documents],
                [d.status for d in documents],
                [d.year for d in documents],
                [d.sequence for d in documents],
                [d.number for d in documents],
                [d.issued_at for d in documents],
                [d.issued_on for d in documents],
                [d.due_on for d in documents],
            ],
        )
        if cursor.rowcount != len(documents):
            raise InvoicingError(_("Some documents of this run changed while it was finalized."))


def queue_pdfs(invoice_ids: list[int]) -> None:
    """One rendering task per document; called once the issuing transaction committed.

    Queued in batches, each in one transaction: with the database task backend that is one
    commit per batch rather than one per document (5,000 commits cost seconds). A task run
    at once (immediate backend) writes in a savepoint of its own (`invoice_pdf_render`)."""
    from ..pdf import invoice_pdf_task

    for start in range(0, len(invoice_ids), PDF_BATCH):
        with transaction.atomic():
            for invoice_id in invoice_ids[start : start + PDF_BATCH]:
                invoice_pdf_task.enqueue(invoice_id=invoice_id)


LINE_COLUMNS = (
    "invoice_id",
    "child_id",
    "activity_id",
    "unit_id",
    "reservation_id",
    "day",
    "kind",
    "situation",
    "label",
    "quantity",
    "unit_price",
    "amount",
    "pricing",
    "explanation",
    "source_key",
)


def lines_insert(lines: Iterable[tuple[int, DraftLine]]) -> None:
    """Write (document id, line) pairs. On PostgreSQL through COPY: a run's hundred
    thousand lines in a second or two, where INSERTs take many; the table's statement
    trigger still checks them."""
    rows = (
        (
            invoice_id,
            line.child_id,
            line.activity_id,
            line.unit_id,
            line.reservation_id,
            line.day,
            line.kind,
            line.situation,
            "",
            line.quantity,
            line.unit_price,
            line.amount,
            line.pricing,
            line.explanation,
            line.source_key,
        )
        for invoice_id, line in lines
    )
    if connection.vendor != "postgresql":
        InvoiceLine.objects.bulk_create(
            (InvoiceLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows),
            batch_size=2000,
        )
        return
    pricing = LINE_COLUMNS.index("pricing")
    columns = ", ".join(LINE_COLUMNS)
    statement = f"COPY invoicing_invoiceline ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            row = list(row)
            row[pricing] = json.dumps(row[pricing], cls=DjangoJSONEncoder)
            copy.write_row(row)

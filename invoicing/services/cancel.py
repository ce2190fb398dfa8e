"""Cancelling an issued invoice: a credit note that refers to it takes back every line.

The invoice itself never changes but for its status; the credit note first settles what it
still owed, then any rest pays the family's other open invoices. The corrective run of that
month then bills the days again as they are now, on an invoice that prints « remplace la
facture n° … »."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.time import month_start

from ..choices import InvoiceKind, InvoiceStatus, MoneyAction
from ..errors import InvoicingError
from ..models import Allocation, Invoice, InvoiceLine
from ..notify import documents_published
from .credits import credits_apply
from .events import money_event_record, user_or_none
from .issuing import documents_issue, months_basis, months_lock, queue_pdfs
from .transitions import transition


def invoice_cancel(*, invoice: Invoice, reason: str, actor, now=None) -> Invoice:
    """Cancel an issued invoice by a credit note for its whole amount; returns the note."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError(_("Say why the invoice is cancelled."))
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("regie")
            .get(pk=invoice.pk)
        )
        if invoice.kind != InvoiceKind.INVOICE:
            raise InvoicingError(
                _("A credit note is not cancelled: issue an invoice to correct it.")
            )
        transition(instance=invoice, to_status=InvoiceStatus.CANCELLED)
        regie = invoice.regie
        lines = list(invoice.lines.all())
        months = {invoice.month} | {month_start(line.day) for line in lines}
        months_lock(regie=regie, basis=months_basis(regie=regie, months=months))
        credit_note = Invoice(
            regie=regie,
            family_id=invoice.family_id,
            kind=InvoiceKind.CREDIT_NOTE,
            month=invoice.month,
            total=-invoice.total,
            payer=invoice.payer,
            regie_snapshot=invoice.regie_snapshot,
            corrects=invoice,
            reason=reason[:1000],
            created_at=now,
        )
        transition(instance=credit_note, to_status=InvoiceStatus.DRAFT)
        credit_note.save()
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=credit_note,
                    child_id=line.child_id,
                    activity_id=line.activity_id,
                    unit_id=line.unit_id,
                    reservation_id=line.reservation_id,
                    day=line.day,
                    kind=line.kind,
                    situation=line.situation,
                    label=line.label,
                    quantity=-line.quantity,
                    unit_price=line.unit_price,
                    amount=-line.amount,
                    pricing=line.pricing,
                    explanation=line.explanation,
                    source_key=line.source_key,
                )
                for line in lines
            ]
        )
        documents_issue(documents=[credit_note], regie=regie, now=now)
        remaining = invoice.total - (
            invoice.allocations.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
        )
        invoice.save(update_fields=["status"])
        if remaining > 0:
            Allocation.objects.create(
                invoice=invoice,
                credit_note=credit_note,
                amount=remaining,
                created_at=now,
                created_by=user_or_none(actor),
            )
        credits_apply(regie=regie, family_ids=[invoice.family_id], actor=actor, now=now)
        money_event_record(
            action=MoneyAction.INVOICE_CANCELLED,
            actor=actor,
            at=now,
            regie=regie,
            family_id=invoice.family_id,
            invoice=invoice,
            before={"status": InvoiceStatus.ISSUED, "remaining": str(remaining)},
            after={"status": InvoiceStatus.CANCELLED, "credit_note": credit_note.number},
            note=reason,
        )
        transaction.on_commit(lambda: queue_pdfs([credit_note.pk]))
        transaction.on_commit(lambda: documents_published([credit_note.pk]))
    return credit_note

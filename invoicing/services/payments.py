"""The ledger's services: record a payment, cancel it, use what it left over.

A payment's allocations are computed with the family's invoices locked (in id order, as
`credits_apply` does, so two recorders never wait on each other crosswise): what each still
owes is summed after the lock, so two payments for the same invoice at once queue, and the
second sees the first. PostgreSQL's allocation trigger checks the sums again.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import money
from core.states import transition as state_transition
from core.time import local_today

from ..allocation import spread
from ..choices import (
    PAYMENT_TRANSITIONS,
    InvoiceKind,
    InvoiceStatus,
    MoneyAction,
    PaymentMode,
    PaymentStatus,
)
from ..errors import InvoicingError
from ..models import Allocation, Invoice, MoneyEvent, Payment, Regie
from ..numbering import regie_numbered
from .events import allocation_logged, money_event_record, user_or_none

ZERO = Decimal("0.00")


def _sum_of(queryset_filter: dict, group: str):
    return Coalesce(
        Subquery(
            Allocation.objects.filter(**queryset_filter)
            .order_by()
            .values(group)
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=DecimalField(max_digits=10, decimal_places=2),
        ),
        Value(ZERO),
    )


def open_invoices_locked(*, regie, family, invoice_ids=None) -> list[dict]:
    """The family's issued invoices of the régie, locked, with what each still owes, oldest
    due first: [{"pk", "number", "left"}]. Handed over to the Trésor: nothing to take here.
    With `invoice_ids`, only those (each must be the family's, else Invoice.DoesNotExist)."""
    invoices = Invoice.objects.filter(regie=regie, family=family, kind=InvoiceKind.INVOICE)
    if invoice_ids is not None:
        invoice_ids = set(invoice_ids)
        invoices = invoices.filter(pk__in=invoice_ids)
    locked = list(invoices.select_for_update().order_by("pk").values_list("pk", flat=True))
    if invoice_ids is not None and set(locked) != invoice_ids:
        raise Invoice.DoesNotExist
    if invoice_ids is not None:
        handed_over = list(
            Invoice.objects.filter(pk__in=locked, handed_over_at__isnull=False)
            .order_by("number")
            .values_list("number", flat=True)
        )
        if handed_over:
            raise InvoicingError(
                _(
                    "Invoice %(numbers)s was handed over to the Trésor public: it is paid to "
                    "the Trésor, no longer to the régie."
                )
                % {"numbers": ", ".join(handed_over)}
            )
    rows = (
        Invoice.objects.filter(pk__in=locked, status=InvoiceStatus.ISSUED, handed_over_at=None)
        .annotate(paid_amount=_sum_of({"invoice": OuterRef("pk")}, "invoice"))
        .order_by("due_on", "issued_on", "sequence", "pk")
        .values("pk", "number", "total", "paid_amount")
    )
    return [
        {"pk": row["pk"], "number": row["number"], "left": row["total"] - row["paid_amount"]}
        for row in rows
        if row["total"] > row["paid_amount"]
    ]


def _clean(*, amount, mode, cheque_bank, cheque_number) -> Decimal:
    if mode not in PaymentMode.values:
        raise InvoicingError(_("Choose a means of payment from the list."))
    if not isinstance(amount, Decimal) or money(amount) != amount or amount <= 0:
        raise InvoicingError(_("The amount must be in euros and cents, above zero."))
    if mode == PaymentMode.CHEQUE and not (cheque_bank.strip() and cheque_number.strip()):
        raise InvoicingError(_("A cheque is recorded with its bank and its number."))
    return amount


def payment_record(
    *,
    regie: Regie,
    family,
    mode: str,
    amount: Decimal,
    actor,
    received_on: datetime.date | None = None,
    invoices=None,
    payer_name: str = "",
    cheque_bank: str = "",
    cheque_number: str = "",
    reference: str = "",
    attempt=None,
    limits: dict[int, Decimal] | None = None,
    now: datetime.datetime | None = None,
) -> Payment:
    """Record money received and allocate it: to `invoices` if given (each must be the
    family's in this régie; one no longer open gets nothing), else to the family's open
    invoices, oldest due first. What is left is the family's credit. Gets the next receipt
    number of the régie and year. `limits` {invoice id: amount}: at most that much goes to
    each invoice (a voucher's eligible part, computed by the caller under the same locks).
    Returns the payment, with `shares` [(invoice id, amount)]."""
    now = now or timezone.now()
    amount = _clean(amount=amount, mode=mode, cheque_bank=cheque_bank, cheque_number=cheque_number)
    with transaction.atomic():
        ids = None if invoices is None else [getattr(i, "pk", i) for i in invoices]
        owed = open_invoices_locked(regie=regie, family=family, invoice_ids=ids)
        if limits is not None:
            owed = [{**row, "left": min(row["left"], limits.get(row["pk"], ZERO))} for row in owed]
        shares = spread(amount, [(row["pk"], row["left"]) for row in owed])
        payment = Payment.objects.create(
            **regie_numbered(
                "receipt", regie.receipt_number_format, regie=regie, now=now, actor=actor
            ),
            family=family,
            mode=mode,
            received_on=received_on or local_today(now),
            amount=amount,
            payer_name=payer_name.strip()[:150],
            cheque_bank=cheque_bank.strip()[:100],
            cheque_number=cheque_number.strip()[:30],
            reference=reference.strip()[:100],
            attempt=attempt,
        )
        Allocation.objects.bulk_create(
            [
                Allocation(
                    invoice_id=invoice_id,
                    payment=payment,
                    amount=share,
                    created_at=now,
                    created_by=user_or_none(actor),
                )
                for invoice_id, share in shares
            ]
        )
        left = {row["pk"]: row for row in owed}
        money_event_record(
            action=MoneyAction.PAYMENT_RECORDED,
            actor=actor,
            at=now,
            regie=regie,
            family=family,
            before={"owed": {left[pk]["number"]: str(left[pk]["left"]) for pk, _s in shares}},
            after={
                "payment": payment.number,
                "mode": mode,
                "amount": str(amount),
                "allocated": {left[pk]["number"]: str(share) for pk, share in shares},
                "credit": str(amount - sum((s for _pk, s in shares), ZERO)),
            },
        )
    payment.shares = shares
    return payment


def payment_cancel(*, payment: Payment, reason: str, actor, now=None) -> Payment:
    """Cancel a valid payment with a reason: its allocations are taken back (kept on the
    payment), its invoices owe again. Refused inside a deposit slip."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise InvoicingError(_("Say why the payment is cancelled."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.VALID:
            raise InvoicingError(
                _("Payment %(number)s is already cancelled.") % {"number": payment.number}
            )
        if payment.deposit_slip_id is not None:
            raise InvoicingError(
                _(
                    "Payment %(number)s is in a deposit slip handed to the bank: it can no "
                    "longer be cancelled."
                )
                % {"number": payment.number}
            )
        allocations = list(
            payment.allocations.select_related("invoice").order_by("invoice_id", "pk")
        )
        list(
            Invoice.objects.filter(pk__in=[a.invoice_id for a in allocations])
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        taken_back = [
            {"invoice": a.invoice_id, "number": a.invoice.number, "amount": str(a.amount)}
            for a in allocations
        ]
        Allocation.objects.filter(pk__in=[a.pk for a in allocations]).delete()
        payment.cancelled_at = now
        payment.cancelled_by = user_or_none(actor)
        payment.cancel_reason = reason[:1000]
        payment.cancelled_allocations = taken_back
        state_transition(
            payment,
            PaymentStatus.CANCELLED,
            table=PAYMENT_TRANSITIONS,
            also=["cancelled_at", "cancelled_by", "cancel_reason", "cancelled_allocations"],
            error=InvoicingError,
        )
        money_event_record(
            action=MoneyAction.PAYMENT_CANCELLED,
            actor=actor,
            at=now,
            regie_id=payment.regie_id,
            family_id=payment.family_id,
            before={"payment": payment.number, "status": PaymentStatus.VALID},
            after={"status": PaymentStatus.CANCELLED, "reopened": taken_back},
            note=reason,
        )
    return payment


def payment_credit_apply(*, regie: Regie, family, actor, now=None) -> list[Allocation]:
    """What the family's valid payments left unallocated pays its open invoices, oldest
    payment to oldest due invoice (payments locked first, then invoices, both by id)."""
    now = now or timezone.now()
    with transaction.atomic():
        payments = list(
            Payment.objects.valid()
            .filter(regie=regie, family=family)
            .select_for_update()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        credits = [
            row
            for row in Payment.objects.filter(pk__in=payments)
            .annotate(allocated_amount=_sum_of({"payment": OuterRef("pk")}, "payment"))
            .order_by("received_on", "pk")
            if row.amount > row.allocated_amount
        ]
        if not credits:
            return []
        owed = open_invoices_locked(regie=regie, family=family)
        allocations, events = [], []
        queue = [[row["pk"], row["left"], row["number"]] for row in owed]
        for payment in credits:
            left = payment.amount - payment.allocated_amount
            for item in queue:
                if left <= 0:
                    break
                share = min(left, item[1])
                if share <= 0:
                    continue
                allocation, event = allocation_logged(
                    action=MoneyAction.PAYMENT_CREDIT_APPLIED,
                    source={"payment": payment},
                    paid_by={"payment": payment.number},
                    invoice_id=item[0],
                    remaining=item[1],
                    amount=share,
                    actor=actor,
                    now=now,
                    regie=regie,
                    family=family,
                )
                allocations.append(allocation)
                events.append(event)
                item[1] -= share
                left -= share
        Allocation.objects.bulk_create(allocations)
        MoneyEvent.objects.bulk_create(events)
    return allocations

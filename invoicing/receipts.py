"""The counter's documents as accessible PDFs, rendered on demand from the ledger (a payment
and a deposit slip never change once recorded, so the same bytes come out each time): the
receipt (« quittance ») of a payment and the cheque deposit slip (« bordereau de remise »)."""

from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from core.french import address_lines
from core.storage import made_file_response

from .choices import PaymentStatus
from .models import DepositSlip, Payment
from .pdf import render_pdf
from .services.deposits import deposit_slip_rows

RECEIPT_TEMPLATE = "invoicing/pdf/receipt.html"
DEPOSIT_SLIP_TEMPLATE = "invoicing/pdf/deposit_slip.html"
ZERO = Decimal("0.00")


def regie_identity(regie) -> dict:
    return {
        "name": regie.name,
        "siret": regie.siret,
        "regisseur_name": regie.regisseur_name,
        "regisseur_title": regie.regisseur_title,
        "address": address_lines(regie),
    }


def receipt_context(payment: Payment) -> dict:
    family = payment.family
    if payment.status == PaymentStatus.VALID:
        paid = [
            {"number": a.invoice.number, "amount": a.amount}
            for a in payment.allocations.select_related("invoice").order_by("invoice__due_on")
        ]
    else:
        paid = [
            {"number": row["number"], "amount": Decimal(row["amount"])}
            for row in payment.cancelled_allocations
        ]
    allocated = sum((row["amount"] for row in paid), ZERO)
    return {
        "title": _("Receipt %(number)s") % {"number": payment.number},
        "payment": payment,
        "regie": regie_identity(payment.regie),
        "family": family,
        "payer_name": payment.payer_name or family.name,
        "address": address_lines(family),
        "mode": payment.get_mode_display(),
        "paid": paid,
        "credit": payment.amount - allocated if payment.status == PaymentStatus.VALID else ZERO,
        "cancelled": payment.status == PaymentStatus.CANCELLED,
    }


def receipt_pdf(*, payment: Payment) -> bytes:
    """The receipt of a payment (staff: call after checking who may see payments)."""
    return render_pdf(RECEIPT_TEMPLATE, receipt_context(payment))


def receipt_response(payment: Payment) -> HttpResponse:
    """The receipt served inline (the caller has checked who may see the payment)."""
    return made_file_response(
        receipt_pdf(payment=payment), f"recu-{payment.number}.pdf", "application/pdf", inline=True
    )


def receipt_pdf_for_family(*, family, payment_id: int) -> bytes:
    """A receipt of the logged-in family's payment; another family's gives 404."""
    payment = (
        Payment.objects.for_family(family).filter(pk=payment_id).first()
        if family is not None
        else None
    )
    if payment is None:
        raise Http404
    return receipt_pdf(payment=payment)


def deposit_slip_pdf(*, slip: DepositSlip) -> bytes:
    rows = deposit_slip_rows(slip)
    return render_pdf(
        DEPOSIT_SLIP_TEMPLATE,
        {
            "title": _("Deposit slip %(number)s") % {"number": slip.number},
            "slip": slip,
            "regie": regie_identity(slip.regie),
            "rows": rows,
            "count": len(rows),
            "total": sum((p.amount for p in rows), ZERO),
            "is_cheque": slip.mode == "cheque",
        },
    )

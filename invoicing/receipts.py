"""A payment's receipt (« reçu ») as a PDF, rendered on demand: it is built from the payment
and its allocations, which never change but by a cancellation, which the receipt then says."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .pdf import render_pdf

RECEIPT_TEMPLATE = "invoicing/pdf/receipt.html"


def receipt_pdf(payment) -> bytes:
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice_id"))
    return render_pdf(
        RECEIPT_TEMPLATE,
        {
            "title": _("Receipt %(number)s") % {"number": payment.number},
            "payment": payment,
            "regie": payment.regie,
            "family": payment.family,
            "allocations": allocations,
        },
    )


def receipt_response(payment) -> HttpResponse:
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="recu-{payment.number}.pdf"'
    return response

"""Invoicing's part of the family's data export and of anonymisation (registered in
`InvoicingConfig.ready`, portal_features/rgpd/registry.py says how).

Accounting law keeps invoices, credit notes and payments ten years, as issued: anonymising
a family leaves them whole (numbers, amounts, lines, the payer printed on them, their PDF).
It blanks what only served to collect: the bank details of the direct debit mandates (their
RUM stays, named by the debit batches) and the e-mail given for an online payment. A family
that still owes money is not anonymised.
"""

from django.db.models import Max
from django.utils.translation import gettext

from core.money import ZERO, format_euros
from core.time import local_today, paris_datetime
from portal_features.rgpd.selectors import choice

from .choices import NUMBERED
from .models import Invoice, Mandate, Payment, PaymentRequest
from .selectors import family_balance_due


def invoices_section(family) -> tuple[list, list]:
    documents = (
        Invoice.objects.for_family(family)
        .filter(status__in=NUMBERED)
        .select_related("regie")
        .prefetch_related("lines")
        .order_by("issued_at", "pk")
    )
    return [
        {
            "number": invoice.number,
            "kind": choice(invoice, "kind"),
            "status": choice(invoice, "status"),
            "regie": invoice.regie.name,
            "month": invoice.month,
            "issued_on": invoice.issued_on,
            "due_on": invoice.due_on,
            "total": invoice.total,
            "lines": [
                {"day": line.day, "label": line.label, "amount": line.amount}
                for line in invoice.lines.all()
            ],
        }
        for invoice in documents
    ], []


def payments_section(family) -> tuple[list, list]:
    payments = Payment.objects.filter(family=family).order_by("received_on", "pk")
    return [
        {
            "number": payment.number,
            "mode": choice(payment, "mode"),
            "received_on": payment.received_on,
            "amount": payment.amount,
            "status": choice(payment, "status"),
            "paid_by": payment.payer_name,
        }
        for payment in payments
    ], []


EXPORT_SECTIONS = {"invoices": invoices_section, "payments": payments_section}


def last_activity(family):
    """The family's latest invoice or payment."""
    issued = (
        Invoice.objects.for_family(family)
        .filter(status__in=NUMBERED)
        .aggregate(last=Max("issued_at"))["last"]
    )
    paid = Payment.objects.filter(family=family).aggregate(last=Max("received_on"))["last"]
    moments = [moment for moment in (issued, paid and paris_datetime(paid)) if moment]
    return max(moments, default=None)


def blocker(family, now) -> str | None:
    _unpaid, due = family_balance_due(family=family, today=local_today(now))
    if due > ZERO:
        return gettext("The family still owes %(amount)s: it cannot be anonymised.") % {
            "amount": format_euros(due)
        }
    return None


def anonymise(family, now) -> list[str]:
    Mandate.objects.filter(family=family).update(account_holder="", iban="", bic="")
    PaymentRequest.objects.filter(family=family).update(email="")
    return []

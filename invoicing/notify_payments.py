"""What the family is told about its payments: reminders of unpaid invoices and rejected
direct debits, decided mandates, through `family_tell` (the alert, e-mailed after the
caller's transaction commits to the guardians who agreed to e-mails).
"""

from django.utils.translation import gettext as _

from core.money import format_euros
from portal_features.alerts.tell import Link, family_tell

from .choices import AlertKind


def tell_payment_reminder(*, invoice, amount, before_due: bool, now=None):
    values = {
        "number": invoice.number,
        "amount": format_euros(amount),
        "due": invoice.due_on.strftime("%d/%m/%Y"),
    }
    if before_due:
        title = _("Invoice %(number)s is due on %(due)s") % values
        body = (
            _(
                "Invoice %(number)s still has %(amount)s to pay by %(due)s. You can pay it online "
                "from « Factures » or at the counter of the régie."
            )
            % values
        )
    else:
        title = _("Invoice %(number)s is overdue") % values
        body = (
            _(
                "Invoice %(number)s was due on %(due)s and %(amount)s remain to pay. Please pay "
                "it soon: without payment, it will be handed over to the Trésor public for "
                "recovery."
            )
            % values
        )
    return family_tell(
        invoice.family,
        kind=AlertKind.PAYMENT_REMINDER,
        title=title,
        body=body,
        link=Link("invoicing:invoice_detail", invoice_id=invoice.pk),
        now=now,
    )


def tell_debit_rejected(*, invoice, amount, reason: str, now=None):
    values = {"number": invoice.number, "amount": format_euros(amount), "reason": reason}
    return family_tell(
        invoice.family,
        kind=AlertKind.DEBIT_REJECTED,
        link=Link("invoicing:invoice_detail", invoice_id=invoice.pk),
        title=_("The direct debit of invoice %(number)s was rejected") % values,
        body=_(
            "Your bank rejected the debit of %(amount)s for invoice %(number)s (%(reason)s). "
            "The invoice is to pay again: online from « Factures » or at the counter."
        )
        % values,
        now=now,
    )


def tell_mandate_decided(*, mandate, accepted: bool, reason: str = "", now=None):
    if accepted:
        title = _("Your direct debit mandate %(rum)s is active") % {"rum": mandate.rum}
        body = _("Your next invoices will be paid by direct debit, on the date they show.")
    else:
        title = _("Your direct debit request was refused")
        body = _("Reason: %(reason)s") % {"reason": reason}
    return family_tell(
        mandate.family, kind=AlertKind.MANDATE_DECIDED, title=title, body=body, now=now
    )

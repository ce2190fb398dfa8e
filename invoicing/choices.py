"""Invoicing runs and invoices: their statuses and the allowed moves, on one screen.

A run bills one régie's month. Its draft can be prepared again as often as staff like (the
old draft is replaced); finalisation numbers its documents and is final.

    (new) ──► draft ──► finalized

An invoice or a credit note (« avoir ») is born a draft inside a run's draft. Finalisation
issues it with its number, or, for an invoice below the régie's minimum amount, carries it:
it gets no number and its lines are billed again with the next month's invoice
(`carried_into` says which). An issued invoice is cancelled only by a credit note that
refers to it; an issued credit note is final.

    (new) ──► draft ──► issued ──► cancelled   (invoices only, by a credit note)
                │
                └──► carried                   (below the minimum: billed next month)

What a family owes on an invoice (paid, partly paid, overdue) is never a status: it is
derived from the invoice's allocations and its due date (see `models.invoices`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.states import register_table


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Monthly run")
    CORRECTIVE = "corrective", _("Corrective run")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALIZED = "finalized", _("Finalized")


RUN_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({RunStatus.DRAFT}),
    RunStatus.DRAFT: frozenset({RunStatus.FINALIZED}),
    RunStatus.FINALIZED: frozenset(),
}


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CARRIED = "carried", _("Carried over to next month")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


I = InvoiceStatus  # noqa: E741 - the table below reads better with one letter

# Documents with a number: they never change nor disappear (model guard + database trigger).
NUMBERED = frozenset({I.ISSUED, I.CANCELLED})
# Documents that count in what a family owes.
ON_ACCOUNT = NUMBERED

# from → allowed destinations. `None` is a document being created.
INVOICE_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({I.DRAFT}),
    I.DRAFT: frozenset({I.ISSUED, I.CARRIED}),
    I.CARRIED: frozenset(),
    I.ISSUED: frozenset({I.CANCELLED}),
    I.CANCELLED: frozenset(),
}
# A credit note is never cancelled: a mistaken one is corrected by a new invoice.
CREDIT_NOTE_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({I.DRAFT}),
    I.DRAFT: frozenset({I.ISSUED}),
    I.ISSUED: frozenset(),
}


register_table("invoicing.run", RUN_TRANSITIONS, RunStatus.values)
register_table("invoicing.invoice", INVOICE_TRANSITIONS, InvoiceStatus.values)
register_table("invoicing.credit_note", CREDIT_NOTE_TRANSITIONS, InvoiceStatus.values)


class PaymentState(models.TextChoices):
    """What the family reads next to an issued invoice; derived, never stored."""

    TO_PAY = "to_pay", _("To pay")
    PARTIALLY_PAID = "partially_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    CANCELLED = "cancelled", _("Cancelled")
    CREDIT_AVAILABLE = "credit_available", _("Credit available")
    CREDIT_USED = "credit_used", _("Credit used")


class LineKind(models.TextChoices):
    CHILDCARE = "childcare", _("Childcare")
    MEAL = "meal", _("Meal")
    PENALTY = "penalty", _("Penalty")
    OTHER = "other", _("Other")


class PaymentMeans(models.TextChoices):
    ONLINE_CARD = "online_card", _("Bank card, online")
    ONLINE_DEBIT = "online_debit", _("Online direct debit")
    CASH = "cash", _("Cash, at the counter")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER = "transfer", _("Bank transfer")
    DIRECT_DEBIT = "direct_debit", _("Monthly direct debit")
    CESU = "cesu", _("CESU")
    ANCV = "ancv", _("ANCV holiday vouchers")


class MoneyAction(models.TextChoices):
    RUN_DRAFTED = "run_drafted", _("Run prepared")
    RUN_FINALIZED = "run_finalized", _("Run finalized")
    INVOICE_CANCELLED = "invoice_cancelled", _("Invoice cancelled")
    CREDIT_APPLIED = "credit_applied", _("Credit note applied")


class AlertKind(models.TextChoices):
    """What invoicing tells families (registered in `InvoicingConfig.ready`)."""

    INVOICE_PUBLISHED = "invoice_published", _("Invoice published")

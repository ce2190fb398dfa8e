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

from core.states import state_table


class RunKind(models.TextChoices):
    REGULAR = "regular", _("Monthly run")
    CORRECTIVE = "corrective", _("Corrective run")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINALIZED = "finalized", _("Finalized")


RUN_TRANSITIONS = state_table(
    "invoicing.run", RunStatus, {None: {RunStatus.DRAFT}, RunStatus.DRAFT: {RunStatus.FINALIZED}}
)


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
INVOICE_TRANSITIONS = state_table(
    "invoicing.invoice",
    InvoiceStatus,
    {None: {I.DRAFT}, I.DRAFT: {I.ISSUED, I.CARRIED}, I.ISSUED: {I.CANCELLED}},
)
# A credit note is never cancelled: a mistaken one is corrected by a new invoice.
CREDIT_NOTE_TRANSITIONS = state_table(
    "invoicing.credit_note", InvoiceStatus, {None: {I.DRAFT}, I.DRAFT: {I.ISSUED}}
)


class PaymentState(models.TextChoices):
    """What the family reads next to an issued invoice; derived, never stored."""

    TO_PAY = "to_pay", _("To pay")
    PARTIALLY_PAID = "partially_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    # Handed to the Trésor public for recovery: set by the payments work (a dated field on
    # the invoice, read by `Invoice.payment_state`), never by the family screens.
    TREASURY = "treasury", _("Handed to the Trésor public")
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
    PAYMENT_RECORDED = "payment_recorded", _("Payment recorded")
    PAYMENT_CANCELLED = "payment_cancelled", _("Payment cancelled")
    PAYMENT_CREDIT_APPLIED = "payment_credit_applied", _("Overpayment applied")
    ONLINE_PAID_LATE = "online_paid_late", _("Online payment confirmed after its expiry")
    DEPOSIT_SLIP_CREATED = "deposit_slip_created", _("Deposit slip created")
    DOCKET_CREATED = "docket_created", _("Collection docket created")
    MANDATE_VALIDATED = "mandate_validated", _("Direct debit mandate validated")
    MANDATE_REFUSED = "mandate_refused", _("Direct debit mandate refused")
    DEBIT_BATCH_CREATED = "debit_batch_created", _("Direct debit batch created")
    DEBIT_REJECTED = "debit_rejected", _("Direct debit rejected")


class AlertKind(models.TextChoices):
    """What invoicing tells families (registered in `InvoicingConfig.ready`)."""

    INVOICE_PUBLISHED = "invoice_published", _("Invoice published")
    PAYMENT_REMINDER = "payment_reminder", _("Payment reminder")
    DEBIT_REJECTED = "debit_rejected", _("Direct debit rejected")
    MANDATE_DECIDED = "mandate_decided", _("Direct debit mandate decided")


# Payments: the ledger (issue 11).
#
# A payment is recorded valid, with its receipt number; staff may cancel it with a reason
# (unless it sits in a deposit slip), which takes back its allocations. It is never deleted.
#
#     (new) ──► valid ──► cancelled
#
# An online payment is opened as a payment request (the invoices chosen, the amount computed
# here) and one attempt per provider reference. What the provider says moves the attempt;
# `paid` is final and gives exactly one payment. A « paid » that arrives after the attempt
# was refused, abandoned or expired is still recorded, and flagged for staff.
#
#     (new) ──► created ──► pending ──► paid
#                  │           │         ▲
#                  └───────────┴──► refused | abandoned | expired ──┘ (late: flagged)


class PaymentMode(models.TextChoices):
    ONLINE_CARD = "online_card", _("Bank card, online")
    ONLINE_DEBIT = "online_debit", _("Online one-off direct debit")
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER = "transfer", _("Bank transfer")
    DIRECT_DEBIT = "direct_debit", _("Monthly direct debit")
    CESU = "cesu", _("CESU")
    ANCV = "ancv", _("ANCV holiday vouchers")
    CREDIT = "credit", _("Credit")


ONLINE_MODES = frozenset({PaymentMode.ONLINE_CARD, PaymentMode.ONLINE_DEBIT})


class PaymentStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    CANCELLED = "cancelled", _("Cancelled")


PAYMENT_TRANSITIONS = state_table(
    "invoicing.payment",
    PaymentStatus,
    {None: {PaymentStatus.VALID}, PaymentStatus.VALID: {PaymentStatus.CANCELLED}},
)


class AttemptState(models.TextChoices):
    CREATED = "created", _("Created")
    PENDING = "pending", _("In progress")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")
    ABANDONED = "abandoned", _("Abandoned")
    EXPIRED = "expired", _("Expired")


A = AttemptState
# The attempt still holds its invoices (no one else may start paying them).
ATTEMPT_OPEN = frozenset({A.CREATED, A.PENDING})
# Over without money: a late « paid » may still come, and is recorded (flagged).
ATTEMPT_OVER = frozenset({A.REFUSED, A.ABANDONED, A.EXPIRED})
ATTEMPT_TRANSITIONS = state_table(
    "invoicing.attempt",
    AttemptState,
    {
        None: {A.CREATED},
        A.CREATED: {A.PENDING, A.PAID, *ATTEMPT_OVER},
        A.PENDING: {A.PAID, *ATTEMPT_OVER},
        **{over: {A.PAID} for over in ATTEMPT_OVER},
    },
)


class AttemptSource(models.TextChoices):
    OPENED = "opened", _("Opened at the provider")
    NOTIFICATION = "notification", _("Provider notification")
    RETURN = "return", _("Family's return")
    RECONCILIATION = "reconciliation", _("Reconciliation")


# Direct debit mandates (SEPA): the family asks, staff validate or refuse; an active mandate
# left unused for 36 months lapses.
#
#     (new) ──► requested ──► active ──► lapsed
#                   │
#                   └──► refused


class MandateStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")
    LAPSED = "lapsed", _("Lapsed")


M = MandateStatus
MANDATE_TRANSITIONS = state_table(
    "invoicing.mandate",
    MandateStatus,
    {None: {M.REQUESTED}, M.REQUESTED: {M.ACTIVE, M.REFUSED}, M.ACTIVE: {M.LAPSED}},
)
# A family has at most one of these per régie (partial UNIQUE).
MANDATE_CURRENT = frozenset({M.REQUESTED, M.ACTIVE})


class MandateSequence(models.TextChoices):
    FIRST = "FRST", _("First debit")
    RECURRENT = "RCUR", _("Recurrent debit")


class ReminderStage(models.TextChoices):
    BEFORE_DUE = "before", _("Before the due date")
    AFTER_DUE = "after", _("After the due date")

"""The ledger: payments, their receipts, deposit slips, and online payment requests and attempts.

A payment (« règlement ») is money the régie received from a family: its mode, date and
amount (> 0), and a receipt number without gaps per régie and civil year, taken from the
kernel's counter in the recording transaction. It pays invoices through `Allocation` rows
(`Allocation.payment`), never more than an invoice still owes (the invoice row is locked by
the service, and on PostgreSQL the allocation trigger sums again under that lock). What a
payment does not allocate is the family's credit (« trop-perçu »), used later by
`payment_credit_apply`. A payment is never deleted (`delete()` refuses, and a trigger on
PostgreSQL): staff cancel it with a reason, which takes back its allocations (kept in
`cancelled_allocations`) and reopens its invoices; one inside a deposit slip cannot be.

Online, a family's choice of invoices becomes a numbered `PaymentRequest` (its number is the
reference sent to the provider), the amount computed here; each opening at the provider is a
`PaymentAttempt` whose provider reference is UNIQUE, and `Payment.attempt` is unique too: one
attempt never gives two payments, whatever the order and number of notifications, returns
and reconciliations (`services.online.attempt_settle` locks the attempt's row).
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choice_field,
    choices_check,
    created_at_field,
    money,
    optional_date,
    optional_link,
    optional_moment,
    positive_check,
    protected_link,
    staff_member,
    status_field,
)
from core.models import EventModel, OutsideReferenceIndex

from ..choices import (
    ATTEMPT_OPEN,
    AttemptSource,
    AttemptState,
    PaymentMode,
    PaymentStatus,
)
from ..errors import InvoicingError
from .numbered import RegieNumbered, sequence_unique
from .regies import Regie

ZERO = Decimal("0.00")


class DepositSlip(OutsideReferenceIndex, models.Model):
    """A bank deposit slip (« bordereau de remise ») gathering cheques or cash. A stub: the
    counter's screens fill it; a payment inside one can no longer be cancelled."""

    regie = protected_link(Regie, _("régie"), "deposit_slips")
    number = models.CharField(_("number"), max_length=40, blank=True)
    mode = choice_field(_("mode"), PaymentMode, max_length=20)
    created_at = created_at_field(_("created at"))
    created_by = staff_member(_("by"))
    deposited_on = optional_date(_("deposited on"))

    class Meta:
        verbose_name = _("deposit slip")
        verbose_name_plural = _("deposit slips")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number or gettext("Deposit slip %(pk)s") % {"pk": self.pk}


class PaymentQuerySet(models.QuerySet):
    def for_family(self, family):
        return self.filter(family=family)

    def valid(self):
        return self.filter(status=PaymentStatus.VALID)


class Payment(RegieNumbered):
    regie = protected_link(Regie, _("régie"), "payments")
    family = protected_link("portal_features.Family", _("payer household"), "payments")
    mode = choice_field(_("mode"), PaymentMode, max_length=20)
    received_on = models.DateField(_("date"))
    amount = money(_("amount"))
    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    status = status_field(PaymentStatus, default=PaymentStatus.VALID)
    payer_name = models.CharField(_("paid by"), max_length=150, blank=True)
    cheque_bank = models.CharField(_("bank"), max_length=100, blank=True)
    cheque_number = models.CharField(_("cheque number"), max_length=30, blank=True)
    # A transfer's reference, a provider's authorisation number, a voucher batch…
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    attempt = optional_link(
        "invoicing.PaymentAttempt",
        _("online attempt"),
        on_delete=models.PROTECT,
        one_to_one=True,
        related_name="payment",
    )
    deposit_slip = optional_link(
        DepositSlip, _("deposit slip"), on_delete=models.PROTECT, related_name="payments"
    )
    created_at = created_at_field(_("recorded at"))
    created_by = staff_member(_("recorded by"))
    cancelled_at = optional_moment(_("cancelled at"))
    cancelled_by = staff_member(_("cancelled by"))
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # What the payment paid when it was cancelled: [{"invoice": id, "number": …, "amount": …}].
    cancelled_allocations = models.JSONField(default=list, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta(RegieNumbered.Meta):
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]
        constraints = [
            positive_check("amount", name="payment_positive"),
            choices_check("status", PaymentStatus, name="payment_status_valid"),
            choices_check("mode", PaymentMode, name="payment_mode_valid"),
            models.CheckConstraint(
                condition=~models.Q(mode="cheque")
                | (~models.Q(cheque_bank="") & ~models.Q(cheque_number="")),
                name="payment_cheque_has_bank_and_number",
            ),
            models.CheckConstraint(
                condition=models.Q(status="valid", cancelled_at__isnull=True)
                | (
                    models.Q(status="cancelled", cancelled_at__isnull=False)
                    & ~models.Q(cancel_reason="")
                ),
                name="payment_cancelled_with_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled", deposit_slip__isnull=False),
                name="payment_in_slip_never_cancelled",
            ),
            sequence_unique("payment_receipt_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["family", "regie", "status"], name="payment_family_idx"),
        ]

    def delete(self, *args, **kwargs):
        raise InvoicingError(
            gettext("Payment %(number)s is never deleted: cancel it with a reason.")
            % {"number": self.number}
        )

    @property
    def allocated(self) -> Decimal:
        if hasattr(self, "allocated_amount"):
            return self.allocated_amount or ZERO
        return self.allocations.aggregate(s=models.Sum("amount"))["s"] or ZERO

    @property
    def unallocated(self) -> Decimal:
        """What the payment did not pay of invoices: the family's credit."""
        if self.status != PaymentStatus.VALID:
            return ZERO
        return self.amount - self.allocated


class PaymentRequest(RegieNumbered):
    """The invoices a family chose to pay online at once; its number is the reference the
    provider sees (PayFiP's `refdet` without its separators)."""

    regie = protected_link(Regie, _("régie"), "payment_requests")
    family = protected_link("portal_features.Family", _("payer household"), "payment_requests")
    number = models.CharField(_("number"), max_length=40, unique=True)
    amount = money(_("amount"))
    email = models.EmailField(_("e-mail"), blank=True)
    invoices = models.ManyToManyField(
        "invoicing.Invoice",
        through="invoicing.PaymentRequestInvoice",
        related_name="payment_requests",
    )

    class Meta(RegieNumbered.Meta):
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        constraints = [
            positive_check("amount", name="payment_request_positive"),
            sequence_unique("payment_request_sequence_unique"),
        ]


class PaymentRequestInvoice(models.Model):
    """One invoice of a request and what it owed then. `active` while the request's attempt
    is open: an invoice is being paid by one request at a time (partial UNIQUE)."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="items")
    invoice = models.ForeignKey(
        "invoicing.Invoice", on_delete=models.PROTECT, related_name="payment_request_items"
    )
    amount = money(_("amount"))
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "invoice"], name="payment_request_invoice_once"
            ),
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(active=True),
                name="invoice_being_paid_once",
            ),
            positive_check("amount", name="payment_request_invoice_positive"),
        ]

    def __str__(self):
        return f"{self.request_id} → {self.invoice_id}"


class PaymentAttemptQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=ATTEMPT_OPEN)


class PaymentAttempt(OutsideReferenceIndex, models.Model):
    """One opening of a payment request at a provider. `provider_ref` (PayFiP's idOp,
    Systempay's date_transid) is unique; `provider` is the key of `online.provider_for`."""

    request = protected_link(PaymentRequest, _("payment request"), "attempts")
    provider = models.CharField(_("provider"), max_length=30)
    provider_ref = models.CharField(
        _("provider reference"), max_length=64, null=True, blank=True, unique=True
    )
    state = choice_field(_("state"), AttemptState, max_length=10, default=AttemptState.CREATED)
    amount = money(_("amount"))
    created_at = created_at_field(_("created at"))
    updated_at = created_at_field(_("updated at"))
    paid_at = optional_moment(_("paid at"))
    transaction_id = models.CharField(_("authorisation number"), max_length=64, blank=True)
    # Raised to staff: a « paid » after expiry, an amount that differs, a test payment…
    needs_review = models.BooleanField(_("to review"), default=False)
    review_note = models.CharField(_("to review because"), max_length=255, blank=True)

    objects = PaymentAttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("online payment attempt")
        verbose_name_plural = _("online payment attempts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            choices_check("state", AttemptState, name="attempt_state_valid"),
            positive_check("amount", name="attempt_positive"),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | models.Q(paid_at__isnull=False),
                name="attempt_paid_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="attempt_state_idx")]

    def __str__(self):
        return self.provider_ref or f"{self.request} #{self.pk}"


class PaymentAttemptEvent(EventModel):
    """Everything the attempt heard, in order: each notification, return and lookup, what it
    said and what it changed (also those that changed nothing)."""

    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.PROTECT, related_name="events")
    source = choice_field(_("source"), AttemptSource, max_length=20)
    reported = models.CharField(_("reported state"), max_length=10, blank=True)
    state_before = models.CharField(_("before"), max_length=10, blank=True)
    state_after = models.CharField(_("after"), max_length=10, blank=True)
    raw = models.JSONField(_("what the provider said"), default=dict, blank=True)
    actor = None  # what a provider or the reconciliation says: nobody acts

    class Meta:
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.source} {self.reported}"

"""Getting the money in: SEPA mandates and debit batches, reminders of unpaid invoices, and
collection dockets (« bordereaux de titres ») handing invoices over to the Trésor public.

Numbers (debit batches, dockets) come from the kernel's gapless counter in the creating
transaction, one series per régie and civil year. A docket's invoice is in at most one
docket (UNIQUE); a reminder is sent at most once per invoice and stage (UNIQUE), whatever
the number of times the daily command runs.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choice_field,
    choices_check,
    created_at_field,
    money,
    optional_date,
    optional_moment,
    positive_check,
    protected_link,
    staff_member,
    status_field,
)
from core.models import OutsideReferenceIndex

from ..choices import MANDATE_CURRENT, MandateSequence, MandateStatus, ReminderStage
from .invoices import Invoice
from .numbered import RegieNumbered, sequence_unique
from .payments import Payment
from .regies import Regie


class Mandate(OutsideReferenceIndex, models.Model):
    """A family's SEPA direct debit mandate for one régie, identified by its RUM."""

    regie = protected_link(Regie, _("régie"), "mandates")
    family = protected_link("portal_features.Family", _("payer household"), "mandates")
    rum = models.CharField(_("mandate reference (RUM)"), max_length=35, unique=True)
    status = status_field(MandateStatus, default=MandateStatus.REQUESTED)
    account_holder = models.CharField(_("account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    signed_on = models.DateField(_("signature date"))
    sequence = choice_field(
        _("next debit"), MandateSequence, max_length=4, default=MandateSequence.FIRST
    )
    last_debit_on = optional_date(_("last debit"))
    requested_at = created_at_field(_("requested at"))
    decided_at = optional_moment(_("decided at"))
    decided_by = staff_member(_("decided by"))
    refusal_reason = models.TextField(_("reason for refusing"), blank=True)
    lapsed_on = optional_date(_("lapsed on"))

    class Meta:
        verbose_name = _("direct debit mandate")
        verbose_name_plural = _("direct debit mandates")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            choices_check("status", MandateStatus, name="mandate_status_valid"),
            choices_check("sequence", MandateSequence, name="mandate_sequence_valid"),
            models.UniqueConstraint(
                fields=["regie", "family"],
                condition=models.Q(status__in=sorted(MANDATE_CURRENT)),
                name="mandate_one_current_per_family",
            ),
        ]

    def __str__(self):
        return self.rum


class DebitBatch(RegieNumbered):
    """A régie's direct debits for one collection date, as one pain.008 file."""

    regie = protected_link(Regie, _("régie"), "debit_batches")
    number = models.CharField(_("number"), max_length=35, unique=True)
    collection_date = models.DateField(_("debit date"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    xml = models.BinaryField(_("pain.008 file"))

    class Meta(RegieNumbered.Meta):
        verbose_name = _("direct debit batch")
        verbose_name_plural = _("direct debit batches")
        constraints = [sequence_unique("debit_batch_sequence_unique")]


class DebitBatchLine(models.Model):
    """One invoice debited under one mandate; its payment is cancelled if the bank rejects."""

    batch = models.ForeignKey(DebitBatch, on_delete=models.PROTECT, related_name="lines")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="debit_lines")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="debit_lines")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="debit_line")
    amount = money(_("amount"))
    sequence = choice_field(_("sequence"), MandateSequence, max_length=4)
    rejected_at = optional_moment(_("rejected at"))
    reject_reason = models.CharField(_("reason for the reject"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("debit")
        verbose_name_plural = _("debits")
        ordering = ["batch_id", "pk"]
        constraints = [
            positive_check("amount", name="debit_line_positive"),
            # An invoice is debited once at a time: again only after a reject.
            models.UniqueConstraint(
                fields=["invoice"],
                condition=models.Q(rejected_at__isnull=True),
                name="debit_line_invoice_once",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id} → {self.invoice_id}"


class CollectionDocket(RegieNumbered):
    """A bordereau of invoices handed over to the Trésor public for recovery."""

    regie = protected_link(Regie, _("régie"), "dockets")
    number = models.CharField(_("number"), max_length=40, unique=True)
    issued_on = models.DateField(_("date"))
    threshold = money(_("threshold"))
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)

    class Meta(RegieNumbered.Meta):
        verbose_name = _("collection docket")
        verbose_name_plural = _("collection dockets")
        constraints = [sequence_unique("docket_sequence_unique")]


class CollectionDocketItem(models.Model):
    """One invoice of a docket and what it still owed when handed over."""

    docket = models.ForeignKey(CollectionDocket, on_delete=models.PROTECT, related_name="items")
    invoice = models.OneToOneField(Invoice, on_delete=models.PROTECT, related_name="docket_item")
    article = models.PositiveIntegerField(_("article"))
    amount = money(_("amount"))

    class Meta:
        ordering = ["docket_id", "article"]
        constraints = [
            positive_check("amount", name="docket_item_positive"),
            models.UniqueConstraint(fields=["docket", "article"], name="docket_article_unique"),
        ]

    def __str__(self):
        return f"{self.docket_id} #{self.article}"


class PaymentReminder(models.Model):
    """A reminder sent for an invoice: once per stage (before, or N days after, the due
    date)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    stage = choice_field(_("stage"), ReminderStage, max_length=10)
    days = models.PositiveSmallIntegerField(_("days"))
    sent_at = created_at_field(_("sent at"))
    amount = money(_("amount still owed"))

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "stage", "days"], name="payment_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.invoice_id} {self.stage} {self.days}"

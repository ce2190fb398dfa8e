"""Invoices and credit notes (« avoirs »), their lines, and the allocations that pay them.

Signs, written down once: a line's amount is its quantity × its unit price, exactly; the
unit price is never negative and a line that takes back what was billed has a negative
quantity. A document's total is the sum of its lines: an invoice's is ≥ 0, a credit note's
≤ 0 (what the family is owed is −total). An allocation moves a positive amount from a
credit note or a payment onto an invoice; what an invoice still owes is its
total less its allocations, derived, never stored.

An issued document never changes nor disappears: `save()` and `delete()` refuse here, and on
PostgreSQL triggers refuse the same to `QuerySet.update()`, bulk deletes and raw SQL
(migration 0002). Only its status may move issued → cancelled (through a credit note), and
its PDF and checksum be written once.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import (
    belongs_to,
    choice_field,
    choices_check,
    created_at_field,
    money,
    optional_date,
    optional_link,
    optional_moment,
    positive_check,
    private_file,
    protected_link,
    staff_member,
    status_field,
)
from core.models import OutsideReferenceIndex
from portal_features.models import child_link

from ..choices import NUMBERED, InvoiceKind, InvoiceStatus, LineKind, PaymentState
from ..errors import InvoicingError
from .regies import Regie
from .runs import InvoicingRun

# What an issued document keeps for ever (the same list as the trigger's).
FROZEN_FIELDS = (
    "run_id",
    "regie_id",
    "family_id",
    "kind",
    "month",
    "number",
    "year",
    "sequence",
    "issued_at",
    "issued_on",
    "due_on",
    "total",
    "payer",
    "regie_snapshot",
    "replaces_id",
    "corrects_id",
    "reason",
)
WRITTEN_ONCE = ("pdf", "pdf_sha256")


class InvoiceQuerySet(models.QuerySet):
    def for_family(self, family):
        return self.filter(family=family)

    def numbered(self):
        return self.filter(status__in=NUMBERED)

    def collected_by(self, regie):
        """The régie's issued invoices it still collects itself (not handed over to the
        Trésor public): what reminders, direct debits and collection dockets look at."""
        return self.filter(
            regie=regie,
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.ISSUED,
            handed_over_at__isnull=True,
        )


class Invoice(OutsideReferenceIndex, models.Model):
    private_folder = "invoices"
    file_extension = "pdf"

    run = optional_link(InvoicingRun, _("run"), on_delete=models.PROTECT, related_name="invoices")
    regie = protected_link(Regie, _("régie"), "invoices")
    family = protected_link("portal_features.Family", _("payer household"), "invoices")
    kind = choice_field(_("kind"), InvoiceKind, max_length=12, default=InvoiceKind.INVOICE)
    status = status_field(InvoiceStatus, default=InvoiceStatus.DRAFT)
    month = models.DateField(_("month billed"))
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, unique=True)
    year = models.PositiveSmallIntegerField(_("numbering year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    issued_at = optional_moment(_("issued at"))
    issued_on = optional_date(_("date"))
    due_on = optional_date(_("due date"))
    total = money(_("total"), default=0)
    payer = models.JSONField(_("payer"), default=dict, blank=True)
    regie_snapshot = models.JSONField(_("issuer"), default=dict, blank=True)
    replaces = optional_link(
        "self", _("replaces the invoice"), on_delete=models.PROTECT, related_name="replaced_by"
    )
    corrects = optional_link(
        "self", _("cancels the invoice"), on_delete=models.PROTECT, related_name="credit_notes"
    )
    carried_into = optional_link(
        "self", _("carried into"), on_delete=models.PROTECT, related_name="carried_from"
    )
    # A carried invoice's lines were billed again (or nothing was left to bill) at this time.
    carried_over_at = optional_moment(_("carried over at"))
    # Handed over to the Trésor public for recovery (a collection docket): no longer paid to
    # the régie, online or at the counter.
    handed_over_at = optional_moment(_("handed over to the Trésor at"))
    # Paid by direct debit: the day the debit is made, printed on the invoice (set once, at
    # least 14 days after the invoice's date, by `services.sepa.debit_dates_assign`).
    debit_on = optional_date(_("debit date"))
    reason = models.TextField(_("reason"), blank=True)
    pdf = private_file(_("PDF"), blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    created_at = created_at_field(_("created at"))

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            choices_check("status", InvoiceStatus, name="invoice_status_valid"),
            choices_check("kind", InvoiceKind, name="invoice_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", total__gte=0)
                | models.Q(kind="credit_note", total__lte=0),
                name="invoice_total_sign",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["issued", "cancelled"],
                    number__isnull=False,
                    year__isnull=False,
                    sequence__isnull=False,
                    issued_at__isnull=False,
                    issued_on__isnull=False,
                    due_on__isnull=False,
                )
                | models.Q(
                    status__in=["draft", "carried"],
                    number__isnull=True,
                    sequence__isnull=True,
                ),
                name="invoice_numbered_when_issued",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="credit_note", status="cancelled"),
                name="invoice_credit_note_never_cancelled",
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="invoice_month_first"),
            models.UniqueConstraint(
                fields=["regie", "kind", "year", "sequence"], name="invoice_sequence_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["family", "regie", "status"], name="invoice_family_idx"),
            models.Index(fields=["regie", "status", "month"], name="invoice_regie_month_idx"),
        ]

    def __str__(self):
        if self.number:
            return self.number
        return gettext("Draft %(kind)s of %(family)s") % {
            "kind": self.get_kind_display().lower(),
            "family": self.payer.get("name", ""),
        }

    def save(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and loaded.get("status") in NUMBERED:
            attnames = [f for f in FROZEN_FIELDS if f in loaded]
            changed = [f for f in attnames if getattr(self, f) != loaded[f]]
            changed += [f for f in WRITTEN_ONCE if loaded.get(f) and getattr(self, f) != loaded[f]]
            moves = self.status == loaded["status"] or (
                loaded["status"] == InvoiceStatus.ISSUED and self.status == InvoiceStatus.CANCELLED
            )
            if changed or not moves:
                raise InvoicingError(
                    gettext("Invoice %(number)s is issued: it can no longer be changed.")
                    % {"number": loaded.get("number")}
                )
        super().save(*args, **kwargs)
        self._loaded = {
            field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields
        }

    def delete(self, *args, **kwargs):
        if self.is_numbered or self.number:
            raise InvoicingError(
                gettext("Invoice %(number)s is issued: it is never deleted.")
                % {"number": self.number}
            )
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    @property
    def is_numbered(self) -> bool:
        loaded = getattr(self, "_loaded", {})
        return loaded.get("status") in NUMBERED

    # What the family owes: derived from allocations (`paid_amount` / `used_amount` are
    # annotated by the selectors; computed here otherwise).

    @property
    def paid(self) -> Decimal:
        if hasattr(self, "paid_amount"):
            return self.paid_amount or Decimal("0.00")
        return self.allocations.aggregate(s=models.Sum("amount"))["s"] or Decimal("0.00")

    @property
    def credit_used(self) -> Decimal:
        if hasattr(self, "used_amount"):
            return self.used_amount or Decimal("0.00")
        return self.credit_allocations.aggregate(s=models.Sum("amount"))["s"] or Decimal("0.00")

    @property
    def remaining(self) -> Decimal:
        """What the family still owes on an invoice, or may still use of a credit note."""
        if self.kind == InvoiceKind.CREDIT_NOTE:
            return -self.total - self.credit_used
        if self.status == InvoiceStatus.CANCELLED:
            return Decimal("0.00")
        return self.total - self.paid

    def payment_state(self, *, today) -> str:
        if self.kind == InvoiceKind.CREDIT_NOTE:
            if self.remaining > 0:
                return PaymentState.CREDIT_AVAILABLE
            return PaymentState.CREDIT_USED
        if self.status == InvoiceStatus.CANCELLED:
            return PaymentState.CANCELLED
        if self.remaining <= 0:
            return PaymentState.PAID
        if self.handed_over_at is not None:
            return PaymentState.TREASURY
        if self.due_on and today > self.due_on:
            return PaymentState.OVERDUE
        if self.paid > 0:
            return PaymentState.PARTIALLY_PAID
        return PaymentState.TO_PAY

    def payment_state_label(self, *, today) -> str:
        return str(PaymentState(self.payment_state(today=today)).label)


class CreditNoteManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=InvoiceKind.CREDIT_NOTE)


class CreditNote(Invoice):
    """The credit notes among the documents (same table, kind `credit_note`)."""

    objects = CreditNoteManager()

    class Meta:
        proxy = True
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")


class InvoiceLine(OutsideReferenceIndex, models.Model):
    """One child, one day, one kind of charge, with the price explained as it was computed."""

    invoice = belongs_to(Invoice, _("invoice"), "lines")
    child = child_link("invoice_lines", on_delete=models.PROTECT)
    activity = optional_link("reservations.Activity", _("activity"), on_delete=models.PROTECT)
    unit = optional_link("reservations.Unit", _("unit"), on_delete=models.PROTECT)
    reservation = optional_link(
        "reservations.Reservation",
        _("reservation"),
        on_delete=models.PROTECT,
        related_name="invoice_lines",
    )
    day = models.DateField(_("day"))
    kind = choice_field(_("kind"), LineKind, max_length=10)
    situation = models.CharField(_("situation"), max_length=30, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    quantity = models.SmallIntegerField(_("quantity"))
    unit_price = money(_("unit price"))
    amount = money(_("amount"))
    # PriceResult.as_json(): the QF, bracket, rate, reduction… the price was computed from.
    pricing = models.JSONField(_("pricing"), default=dict, blank=True)
    explanation = models.CharField(_("tariff basis"), max_length=255, blank=True)
    # "<reservation id>:<kind>": what a corrective run compares, line by line.
    source_key = models.CharField(_("source"), max_length=40, db_index=True)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["child_id", "day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount=models.F("quantity") * models.F("unit_price")),
                name="invoice_line_amount_exact",
            ),
            positive_check("unit_price", name="invoice_line_unit_price_positive", zero=True),
            models.CheckConstraint(
                condition=~models.Q(quantity=0), name="invoice_line_quantity_not_zero"
            ),
            choices_check("kind", LineKind, name="invoice_line_kind_valid"),
        ]

    def __str__(self):
        return f"{self.child_id} {self.day:%d/%m/%Y} {self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        self._refuse_if_issued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_issued()
        return super().delete(*args, **kwargs)

    def _refuse_if_issued(self):
        if Invoice.objects.filter(pk=self.invoice_id, status__in=NUMBERED).exists():
            raise InvoicingError(
                gettext("This line belongs to an issued invoice: it can no longer be changed.")
            )


class Allocation(OutsideReferenceIndex, models.Model):
    """Part of an invoice paid by a credit note or by a payment (exactly one of them).

    Σ allocations ≤ the invoice's total, ≤ what the credit note is owed and ≤ the payment's
    amount, checked with the rows locked by the service and, on PostgreSQL, by a trigger. A
    cancelled payment's allocations are taken back (deleted, and kept on the payment)."""

    invoice = protected_link(Invoice, _("invoice"), "allocations")
    credit_note = optional_link(
        Invoice, _("credit note"), on_delete=models.PROTECT, related_name="credit_allocations"
    )
    payment = optional_link(
        "invoicing.Payment", _("payment"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = money(_("amount"))
    created_at = created_at_field(_("at"))
    created_by = staff_member(_("by"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["created_at", "pk"]
        constraints = [
            positive_check("amount", name="allocation_positive"),
            # Exactly one source: a credit note or a payment.
            models.CheckConstraint(
                condition=models.Q(credit_note__isnull=False, payment__isnull=True)
                | models.Q(credit_note__isnull=True, payment__isnull=False),
                name="allocation_has_one_source",
            ),
            models.CheckConstraint(
                condition=~models.Q(credit_note=models.F("invoice")),
                name="allocation_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.amount} → {self.invoice_id}"

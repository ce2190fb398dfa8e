"""Régies: the commune's collection accounts, each issuing its own numbered invoices."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from core.fields import belongs_to, money, positive_check, protected_link
from core.french import address_lines
from core.models import OutsideReferenceIndex
from core.validators import postal_code_validator

from ..choices import PaymentMeans
from ..numbering import validate_number_format

code_validator = RegexValidator(
    regex=r"^[A-Z0-9]{1,10}$",
    message=_("Use 1 to 10 capital letters or digits, e.g. “ALSH”."),
)


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(_("This SIRET number is not valid (14 digits).")) from error


def validate_payment_means(value) -> None:
    if not isinstance(value, list) or any(code not in PaymentMeans.values for code in value):
        raise ValidationError(_("Choose means of payment from the list."))


def number_format_field(verbose_name, *, prefix: str):
    """How the régie numbers one kind of document; by default the prefix, the régie's code,
    the year and six digits (see `numbering`)."""
    return models.CharField(
        verbose_name,
        max_length=60,
        default=prefix + "{regie}-{yy}-{seq:06}",
        validators=[validate_number_format],
    )


def default_reminder_days_after() -> list[int]:
    return [10, 30]


def validate_reminder_days(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365
        for days in value
    ):
        raise ValidationError(_("Give a list of days between 1 and 365, e.g. [10, 30]."))


pes_post_validator = RegexValidator(
    regex=r"^[0-9]{6,7}$", message=_("The Trésor post code has 6 or 7 digits.")
)


def default_payment_means() -> list[str]:
    return [PaymentMeans.ONLINE_CARD, PaymentMeans.CHEQUE, PaymentMeans.CASH]


class Regie(OutsideReferenceIndex, models.Model):
    """A régie de recettes: who issues the invoices of its activities and takes payments."""

    name = models.CharField(_("name"), max_length=150)
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[code_validator],
        help_text=_("Written in the invoice numbers."),
    )
    siret = models.CharField(_("SIRET"), max_length=14, validators=[validate_siret])
    regisseur_name = models.CharField(_("régisseur's name"), max_length=150)
    regisseur_title = models.CharField(
        _("régisseur's title"), max_length=150, help_text=_("E.g. “Régisseur titulaire”.")
    )
    address_line = models.CharField(_("address"), max_length=255)
    address_complement = models.CharField(_("address complement"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=120)
    counter_details = models.TextField(
        _("where and when to pay at the counter"),
        blank=True,
        help_text=_("E.g. “Mairie, service enfance, Monday to Friday 8:30–12:00”."),
    )
    public_accountant = models.TextField(
        _("public accountant"),
        help_text=_("Name and address of the Trésor public in charge of recovery."),
    )
    court_name = models.CharField(
        _("competent court"),
        max_length=200,
        help_text=_("Named in the appeal notice, e.g. “Tribunal administratif de Nantes”."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to pay"), default=30, validators=[MinValueValidator(1)]
    )
    minimum_amount = money(
        _("minimum amount invoiced"),
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Below it no invoice is issued: the lines carry over to the next month."),
    )
    payment_means = models.JSONField(
        _("accepted means of payment"),
        default=default_payment_means,
        validators=[validate_payment_means],
    )
    invoice_number_format = number_format_field(_("invoice number format"), prefix="F")
    credit_note_number_format = number_format_field(_("credit note number format"), prefix="A")
    receipt_number_format = number_format_field(_("receipt number format"), prefix="R")
    online_payment_days = models.PositiveSmallIntegerField(
        _("days to pay online after the due date"),
        default=0,
        help_text=_("0: invoices can be paid online until their due date included."),
    )
    # Unpaid invoices (issue 11): reminders and collection dockets for the Trésor public.
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the due date"),
        default=5,
        help_text=_("0: no reminder before the due date."),
    )
    reminder_days_after = models.JSONField(
        _("reminders, days after the due date"),
        default=default_reminder_days_after,
        blank=True,
        validators=[validate_reminder_days],
        help_text=_("E.g. [10, 30]: a reminder 10 days, then 30 days after the due date."),
    )
    docket_threshold = money(
        _("threshold for the Trésor public"),
        default=Decimal("15.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "A family's overdue invoices are handed over to the Trésor public only when it "
            "owes at least this amount in all."
        ),
    )
    pes_post_code = models.CharField(
        _("Trésor post code (IdPost)"), max_length=7, blank=True, validators=[pes_post_validator]
    )
    pes_collectivity_code = models.CharField(
        _("collectivity code (CodCol)"), max_length=3, blank=True
    )
    pes_budget_code = models.CharField(_("budget code (CodBud)"), max_length=2, blank=True)
    pes_product_code = models.CharField(_("product code (CodProdLoc)"), max_length=4, blank=True)
    # SEPA direct debit: the régie's account and creditor identifier (ICS).
    sepa_iban = models.CharField(_("IBAN of the régie"), max_length=34, blank=True)
    sepa_bic = models.CharField(_("BIC of the régie"), max_length=11, blank=True)
    sepa_ics = models.CharField(_("SEPA creditor identifier (ICS)"), max_length=35, blank=True)
    debit_days = models.PositiveSmallIntegerField(
        _("days between the invoice and its debit"),
        default=20,
        validators=[MinValueValidator(14)],
        help_text=_("At least 14: the invoice tells the family the amount and date."),
    )

    class Meta:
        verbose_name = _("régie")
        verbose_name_plural = _("régies")
        ordering = ["name"]
        constraints = [
            positive_check("minimum_amount", name="regie_minimum_positive", zero=True),
            models.CheckConstraint(condition=models.Q(due_days__gte=1), name="regie_due_days"),
            positive_check("docket_threshold", name="regie_docket_threshold_positive", zero=True),
            models.CheckConstraint(
                condition=models.Q(debit_days__gte=14), name="regie_debit_days_min"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def payment_means_labels(self) -> list[str]:
        labels = dict(PaymentMeans.choices)
        return [str(labels[code]) for code in self.payment_means if code in labels]

    def snapshot(self, *, commune: dict) -> dict:
        """What a document prints of its issuer, frozen at issue."""
        return {
            "commune": commune,
            "name": self.name,
            "code": self.code,
            "siret": self.siret,
            "regisseur_name": self.regisseur_name,
            "regisseur_title": self.regisseur_title,
            "address": address_lines(self),
            "counter_details": self.counter_details,
            "public_accountant": self.public_accountant,
            "court_name": self.court_name,
            "payment_means": self.payment_means_labels(),
            "due_days": self.due_days,
        }


class RegieActivity(OutsideReferenceIndex, models.Model):
    """Which régie bills an activity: each activity belongs to one."""

    activity = belongs_to("reservations.Activity", _("activity"), "regie_link", one_to_one=True)
    regie = protected_link(Regie, _("régie"), "activity_links")

    class Meta:
        verbose_name = _("activity of a régie")
        verbose_name_plural = _("activities of régies")

    def __str__(self):
        return f"{self.activity} → {self.regie.code}"


class BilledMonth(OutsideReferenceIndex, models.Model):
    """A version per régie and month of service, raised whenever documents billing days of
    that month are issued (a run finalised, an invoice cancelled). A draft remembers the
    versions of the months it covers; finalising it is refused if one moved since, because
    its lines were computed against what was billed then. Runs of other months finalise in
    parallel; their rows are locked in month order, so two never wait on each other."""

    regie = models.ForeignKey(Regie, on_delete=models.CASCADE, related_name="billed_months")
    month = models.DateField()
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["regie", "month"], name="billed_month_unique"),
        ]

    def __str__(self):
        return f"{self.regie.code} {self.month:%Y-%m}: {self.version}"

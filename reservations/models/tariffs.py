"""Tariffs: what a unit costs a family on a day, as the commune's deliberation sets it.

A tariff is a dated rule of one unit, for one kind of line (the childcare, or the meal of a
unit that includes one: the fiscal attestation counts childcare without meals) and one
residence (everyone, residents, non-residents). Two tariffs of the same unit, kind and
residence never overlap in time: PostgreSQL refuses it with an exclusion constraint
(migration 0003, btree_gist), `clean()` says it next to the dates. The computation itself
is `reservations/tariff_methods.py` (pure) behind the one door `reservations/pricing.py`.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.fields import (
    belongs_to,
    choice_field,
    choices_check,
    money,
    optional_date,
    ordered_check,
    scope_link,
)
from core.models import OutsideReferenceIndex
from core.validity import overlapping, period_text
from portal_features.models import family_link

from .. import tariff_methods as methods
from .configuration import Activity, Unit

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
POSITIVE = [MinValueValidator(0)]


def effort_rate(**kwargs):
    """Euros per QF point, six decimal places; empty where the method has none."""
    return models.DecimalField(
        _("effort rate"),
        max_digits=10,
        decimal_places=6,
        null=True,
        blank=True,
        validators=POSITIVE,
        **kwargs,
    )


def percent_of_price(verbose_name):
    """What share of a day's price is billed (0 to 100, all of it by default)."""
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, default=100, validators=PERCENT
    )


class TariffKind(models.TextChoices):
    CHILDCARE = methods.CHILDCARE, _("Childcare")
    MEAL = methods.MEAL, _("Meal")


class Residence(models.TextChoices):
    ALL = "all", _("Everyone")
    RESIDENT = "resident", _("Residents of the commune")
    NON_RESIDENT = "non_resident", _("Non-residents")


class TariffMethod(models.TextChoices):
    FLAT = methods.FLAT, _("Flat price")
    QF_BRACKETS = methods.QF_BRACKETS, _("Price per QF bracket")
    EFFORT_RATE = methods.EFFORT_RATE, _("Effort rate (QF × rate, with floor and ceiling)")
    EFFORT_RATE_BRACKETS = methods.EFFORT_RATE_BRACKETS, _("Effort rate per QF bracket")


class SiblingMode(models.TextChoices):
    NONE = methods.SIBLINGS_NONE, _("No sibling reduction")
    RANK = methods.SIBLINGS_RANK, _("By rank among the children booked that day")
    COUNT_SAME_DAY = methods.SIBLINGS_COUNT, _("By number of children present that day")


class Tariff(OutsideReferenceIndex, models.Model):
    unit = belongs_to(Unit, _("unit"), "tariffs")
    kind = choice_field(_("line"), TariffKind, max_length=10, default=TariffKind.CHILDCARE)
    residence = choice_field(_("for"), Residence, max_length=12, default=Residence.ALL)
    valid_from = models.DateField(_("valid from"))
    valid_until = optional_date(_("valid until"), help_text=_("Empty: until further notice."))
    method = choice_field(_("method"), TariffMethod, max_length=24)
    amount = money(_("price"), optional=True, validators=POSITIVE, help_text=_("Flat price."))
    rate = effort_rate(help_text=_("Euros per QF point: 0.0035 makes QF 870 cost 3.05 €."))
    floor = money(_("floor"), optional=True, validators=POSITIVE)
    ceiling = money(
        _("ceiling"),
        optional=True,
        validators=POSITIVE,
        help_text=_("Also the price of a family without a valid QF on the day."),
    )
    no_qf_bracket = models.PositiveSmallIntegerField(
        _("bracket without a valid QF"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Bracket number (1 = the lowest) for a family without a valid QF on the "
            "day. Empty: the highest."
        ),
    )
    sibling_mode = choice_field(
        _("sibling reduction"), SiblingMode, max_length=16, default=SiblingMode.NONE
    )
    absence_billed_percent = percent_of_price(_("billed absence (% of the price)"))
    late_cancellation_percent = percent_of_price(_("late cancellation (% of the price)"))
    walk_in_amount = money(
        _("price of a day come without booking"),
        optional=True,
        validators=POSITIVE,
        help_text=_("Empty: the usual price."),
    )

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["unit", "kind", "residence", "valid_from"]
        constraints = [
            ordered_check("valid_from", "valid_until", name="tariff_period_ordered", open_end=True),
            choices_check("kind", TariffKind, name="tariff_kind_valid"),
            choices_check("residence", Residence, name="tariff_residence_valid"),
            choices_check("method", TariffMethod, name="tariff_method_valid"),
            choices_check("sibling_mode", SiblingMode, name="tariff_sibling_mode_valid"),
            models.CheckConstraint(
                condition=~Q(method=methods.FLAT) | Q(amount__isnull=False),
                name="tariff_flat_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(method=methods.EFFORT_RATE)
                | Q(rate__isnull=False, ceiling__isnull=False),
                name="tariff_effort_has_rate_and_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(floor__isnull=True)
                | Q(ceiling__isnull=True)
                | Q(floor__lte=F("ceiling")),
                name="tariff_floor_below_ceiling",
            ),
            models.CheckConstraint(
                condition=Q(absence_billed_percent__gte=0, absence_billed_percent__lte=100)
                & Q(late_cancellation_percent__gte=0, late_cancellation_percent__lte=100),
                name="tariff_percents_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.get_kind_display()} – {self.get_method_display()}"

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("The end of validity cannot come before its start.")
        if self.method == methods.FLAT and self.amount is None:
            errors["amount"] = _("Give the flat price.")
        if self.method == methods.EFFORT_RATE:
            if self.rate is None:
                errors["rate"] = _("Give the effort rate.")
            if self.ceiling is None:
                errors["ceiling"] = _("Give the ceiling: it is also the price without a valid QF.")
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            errors["floor"] = _("The floor cannot be above the ceiling.")
        if not errors and self.unit_id and self.valid_from:
            clash = self.overlapping_tariff()
            if clash is not None:
                errors["valid_from"] = _(
                    "Another tariff of this unit applies %(period)s (%(residence)s): "
                    "end it the day before, or change these dates."
                ) % {
                    "period": period_text(clash.valid_from, clash.valid_until),
                    "residence": clash.get_residence_display(),
                }
        if errors:
            raise ValidationError(errors)

    def overlapping_tariff(self) -> "Tariff | None":
        """Another tariff of the same unit and line whose dates overlap and whose residence
        would apply to the same families (the same, or "everyone" with a specific one)."""
        others = overlapping(
            Tariff.objects.filter(unit_id=self.unit_id, kind=self.kind).exclude(pk=self.pk),
            self.valid_from,
            self.valid_until,
        )
        if self.residence != Residence.ALL:
            others = others.filter(residence__in=[self.residence, Residence.ALL])
        return others.order_by("valid_from").first()

    def rule(self) -> methods.Rule:
        """The plain rule the pure computation takes (brackets and reductions prefetched)."""
        return methods.Rule(
            id=self.pk,
            kind=self.kind,
            method=self.method,
            amount=self.amount,
            rate=self.rate,
            floor=self.floor,
            ceiling=self.ceiling,
            brackets=tuple(
                methods.Bracket(
                    qf_min=bracket.qf_min,
                    qf_max=bracket.qf_max,
                    amount=bracket.amount,
                    rate=bracket.rate,
                    floor=bracket.floor,
                    ceiling=bracket.ceiling,
                )
                for bracket in sorted(self.brackets.all(), key=lambda b: b.qf_min)
            ),
            no_qf_bracket=self.no_qf_bracket,
            sibling_mode=self.sibling_mode,
            reductions=tuple(
                sorted(
                    (reduction.position, reduction.percent)
                    for reduction in self.sibling_reductions.all()
                )
            ),
            absence_billed_percent=self.absence_billed_percent,
            late_cancellation_percent=self.late_cancellation_percent,
            walk_in_amount=self.walk_in_amount,
        )


class TariffBracket(OutsideReferenceIndex, models.Model):
    """A QF bracket of a tariff: `qf_min` ≤ QF < `qf_max` (empty: no upper bound)."""

    tariff = belongs_to(Tariff, _("tariff"), "brackets")
    qf_min = models.DecimalField(_("QF from"), max_digits=8, decimal_places=2, validators=POSITIVE)
    qf_max = models.DecimalField(
        _("QF below"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
        help_text=_("Excluded: the next bracket starts there. Empty for the highest bracket."),
    )
    amount = money(_("price"), optional=True, validators=POSITIVE)
    rate = effort_rate()
    floor = money(_("floor"), optional=True, validators=POSITIVE)
    ceiling = money(_("ceiling"), optional=True, validators=POSITIVE)

    class Meta:
        verbose_name = _("QF bracket")
        verbose_name_plural = _("QF brackets")
        ordering = ["tariff", "qf_min"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "qf_min"], name="tariff_bracket_unique"),
            ordered_check(
                "qf_min", "qf_max", name="tariff_bracket_ordered", strict=True, open_end=True
            ),
        ]

    def __str__(self):
        return methods.bracket_text(methods.Bracket(self.qf_min, self.qf_max), None)

    def clean(self):
        super().clean()
        errors = {}
        if self.qf_max is not None and self.qf_min is not None and self.qf_max <= self.qf_min:
            errors["qf_max"] = _("The upper bound must be above the lower one.")
        try:
            method = self.tariff.method
        except ObjectDoesNotExist:
            method = None
        if method == methods.QF_BRACKETS and self.amount is None:
            errors["amount"] = _("Give the price of this bracket.")
        if method == methods.EFFORT_RATE_BRACKETS:
            if self.rate is None:
                errors["rate"] = _("Give the effort rate of this bracket.")
            if self.ceiling is None:
                errors["ceiling"] = _("Give the ceiling: it is also the price without a valid QF.")
        if self.floor is not None and self.ceiling is not None and self.floor > self.ceiling:
            errors["floor"] = _("The floor cannot be above the ceiling.")
        if errors:
            raise ValidationError(errors)


class SiblingReduction(OutsideReferenceIndex, models.Model):
    """The reduction of the child at `position` (rank, or number of children present);
    positions beyond the highest given take its reduction."""

    tariff = belongs_to(Tariff, _("tariff"), "sibling_reductions")
    position = models.PositiveSmallIntegerField(
        _("child number"), validators=[MinValueValidator(1)]
    )
    percent = models.DecimalField(
        _("reduction (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )

    class Meta:
        verbose_name = _("sibling reduction")
        verbose_name_plural = _("sibling reductions")
        ordering = ["tariff", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "position"], name="sibling_reduction_unique"),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(percent__gte=0) & Q(percent__lte=100),
                name="sibling_reduction_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.position} – {self.percent} %"


class Aid(OutsideReferenceIndex, models.Model):
    """An aid (CAF, CCAS…) deducted from a family's childcare lines, per day, never below
    zero; on days come (booked, present or come unbooked), not on billed absences."""

    family = family_link("aids")
    label = models.CharField(_("aid"), max_length=60, help_text=_("E.g. “CAF”, “CCAS”."))
    amount = money(_("amount per day"), validators=POSITIVE)
    activity = scope_link(
        Activity, _("activity"), related_name="aids", help_text=_("Empty: every activity.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = optional_date(_("valid until"))
    max_days_per_month = models.PositiveSmallIntegerField(
        _("days per month at most"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit."),
    )

    class Meta:
        verbose_name = _("aid")
        verbose_name_plural = _("aids")
        ordering = ["family", "valid_from", "pk"]
        constraints = [
            ordered_check("valid_from", "valid_until", name="aid_period_ordered", open_end=True),
            models.CheckConstraint(condition=Q(amount__gt=0), name="aid_amount_positive"),
        ]

    def __str__(self):
        return f"{self.label} – {self.family}"

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot come before its start.")}
            )
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The aid must be more than zero.")})

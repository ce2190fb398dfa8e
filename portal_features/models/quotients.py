"""The quotient familial as dated records: what a family's QF was on any day, and since when
the commune knew it.

A family's records in force (`superseded_at` empty) never overlap: PostgreSQL refuses it
with an exclusion constraint (migration 0009; btree_gist), `clean()` says it next to the
field. A record is never edited: a new QF over an existing period supersedes the records it
overlaps, and what remains of them outside the new period is written again as new records.
So the records in force at any past instant are still readable (`known_at`), which lets a
finalized month be re-priced with the QF it was billed with.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choice_field,
    choices_check,
    created_at_field,
    optional_date,
    optional_moment,
    ordered_check,
    staff_member,
)
from core.models import OutsideReferenceIndex
from core.validity import overlapping

from ..choices import QuotientSource
from .families import family_link


class QuotientQuerySet(models.QuerySet):
    def in_force(self):
        """The records as they stand now (not superseded)."""
        return self.filter(superseded_at__isnull=True)

    def known_at(self, moment):
        """The records that were in force at `moment` (None: now)."""
        if moment is None:
            return self.in_force()
        return self.filter(
            Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment), recorded_at__lte=moment
        )

    def overlapping(self, start, end):
        """Records valid on at least one day of [start, end] (end None: open-ended)."""
        return overlapping(self, start, end)


class QuotientRecord(OutsideReferenceIndex, models.Model):
    Source = QuotientSource

    family = family_link("quotient_records")
    value = models.DecimalField(
        _("quotient familial"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = optional_date(_("valid until"), help_text=_("Empty: until further notice."))
    source = choice_field(_("source"), Source, max_length=12)
    recorded_at = created_at_field(_("recorded at"))
    recorded_by = staff_member(_("recorded by"))
    superseded_at = optional_moment(_("replaced at"), editable=False)

    objects = QuotientQuerySet.as_manager()

    class Meta:
        verbose_name = _("quotient familial")
        verbose_name_plural = _("quotients familiaux")
        ordering = ["family", "valid_from", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="quotient_value_positive"),
            ordered_check(
                "valid_from", "valid_until", name="quotient_period_ordered", open_end=True
            ),
            choices_check("source", QuotientSource, name="quotient_source_valid"),
        ]
        indexes = [models.Index(fields=["family", "valid_from"], name="quotient_family_from_idx")]

    def __str__(self):
        return f"{self.family} – {self.value}"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot come before its start.")}
            )
        if self.family_id is None or self.valid_from is None or self.superseded_at is not None:
            return
        clash = (
            QuotientRecord.objects.filter(family_id=self.family_id)
            .in_force()
            .overlapping(self.valid_from, self.valid_until)
            .exclude(pk=self.pk)
            .order_by("valid_from")
            .first()
        )
        if clash is not None:
            raise ValidationError({"valid_from": overlap_message(clash)})


def overlap_message(record: QuotientRecord) -> str:
    start = date_format(record.valid_from, "SHORT_DATE_FORMAT")
    if record.valid_until is None:
        return _("This period overlaps the quotient %(value)s valid from %(start)s.") % {
            "value": number_format(record.value),
            "start": start,
        }
    return _("This period overlaps the quotient %(value)s valid from %(start)s to %(end)s.") % {
        "value": number_format(record.value),
        "start": start,
        "end": date_format(record.valid_until, "SHORT_DATE_FORMAT"),
    }

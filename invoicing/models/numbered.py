"""What every document numbered in a régie's yearly series holds (payments' receipts,
payment requests, debit batches, collection dockets): the civil year and the sequence the
kernel's counter gave (`core.counters`), unique per régie, and who made it, when."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import created_at_field, staff_member
from core.models import OutsideReferenceIndex


class RegieNumbered(OutsideReferenceIndex, models.Model):
    """Declare `regie` and `number` (their labels and widths differ) and add
    `sequence_unique(name)` to the constraints."""

    year = models.PositiveSmallIntegerField(_("numbering year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    created_at = created_at_field(_("created at"))
    created_by = staff_member(_("by"))

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number


def sequence_unique(name: str) -> models.UniqueConstraint:
    """One document per sequence number in a régie's year."""
    return models.UniqueConstraint(fields=["regie", "year", "sequence"], name=name)

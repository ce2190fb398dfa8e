"""The kernel's tables (gapless counters) and what the apps' models share."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutsideReferenceIndex:
    """Kept out of Wagtail's reference index, which tracks where editorial content (pages,
    images, documents, snippets) is used. Indexing families' rows would cost queries on every
    save, as many as a booking's own, and tell editors nothing."""

    wagtail_reference_index_ignore = True


class Counter(models.Model):
    """The last number given in one series: a scope (what is numbered, and for whom) and a
    civil year. Its row is locked while a number is taken, so numbers follow each other
    without gaps or doubles (see `core.counters`)."""

    scope = models.CharField(_("series"), max_length=60)
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="counter_one_row_per_series")
        ]

    def __str__(self):
        return f"{self.scope} {self.year}: {self.last_value}"

"""The kernel's tables (gapless counters) and what the apps' models share.

Who acted, in services: `actor=` is the staff member who decides or changes something in a
family's file from the staff screens (accept, refuse, validate, bill, mark present, write
on the family's behalf); it is stored as `decided_by` and in the file's history. `user=` is
the family member logged in on the portal who asks, books or cancels for the household. A
service staff call takes `actor=`, one families call takes `user=`: never another name
(`staff_user=`, `reviewer=`) for either.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import created_at_field, optional_moment, staff_member, status_field

from .choices import RequestStatus


class OutsideReferenceIndex:
    """Kept out of Wagtail's reference index, which tracks where editorial content (pages,
    images, documents, snippets) is used. Indexing families' rows would cost queries on every
    save, as many as a booking's own, and tell editors nothing."""

    wagtail_reference_index_ignore = True


class DecidedModel(models.Model):
    """What a staff member decides: the outcome (`status`), when, by whom and, when refused,
    why (the family reads it).

    A model with other statuses overrides `status` with its own choices (a document is
    validated, a reservation may wait for a place); one whose staff note is not a refusal
    reason removes `refusal_reason` (`refusal_reason = None`).
    """

    status = status_field(RequestStatus, default=RequestStatus.PENDING)
    decided_at = optional_moment(_("decided at"))
    decided_by = staff_member(_("decided by"))
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        abstract = True


class EventModel(models.Model):
    """One line of a history: something happened to a row (the subject, a link each app
    declares) at `at`, done by `actor` (the staff member or family member; none for the
    system, or once the account is gone), with a short `note`. What changed is the app's
    (from → to statuses, before → after values, what a provider said). A history with no
    actor removes it (`actor = None`)."""

    at = created_at_field(_("at"))
    actor = staff_member(_("by"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        abstract = True


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

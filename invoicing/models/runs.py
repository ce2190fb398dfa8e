"""Invoicing runs: one régie, one month; a draft to review, then finalised once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choice_field,
    choices_check,
    created_at_field,
    optional_link,
    optional_moment,
    protected_link,
    staff_member,
    status_field,
)
from core.models import OutsideReferenceIndex

from ..choices import RunKind, RunStatus
from .regies import Regie


class InvoicingRun(OutsideReferenceIndex, models.Model):
    regie = protected_link(Regie, _("régie"), "runs")
    month = models.DateField(_("month"), help_text=_("The first day of the month billed."))
    kind = choice_field(_("kind"), RunKind, max_length=12, default=RunKind.REGULAR)
    corrects = optional_link(
        "self", _("corrects the run"), on_delete=models.PROTECT, related_name="corrections"
    )
    status = status_field(RunStatus, default=RunStatus.DRAFT)
    created_at = created_at_field(_("prepared at"))
    created_by = staff_member(_("prepared by"))
    finalized_at = optional_moment(_("finalized at"))
    finalized_by = staff_member(_("finalized by"))
    # {"2026-11-01": 3, …}: the BilledMonth versions the draft was computed against.
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    # Pending carried invoices (ids) whose lines this draft bills again.
    carried_in = models.JSONField(default=list, blank=True)
    # Families, invoices, lines, totals and alerts, for the review screen and the log.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("invoicing run")
        verbose_name_plural = _("invoicing runs")
        ordering = ["-month", "-created_at", "-pk"]
        constraints = [
            choices_check("status", RunStatus, name="run_status_valid"),
            choices_check("kind", RunKind, name="run_kind_valid"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="run_month_first_day"),
            models.UniqueConstraint(
                fields=["regie", "month"],
                condition=models.Q(kind="regular", status="finalized"),
                name="run_one_finalized_regular_per_month",
            ),
            models.UniqueConstraint(
                fields=["regie", "month", "kind"],
                condition=models.Q(status="draft"),
                name="run_one_draft_per_month_and_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="regular", corrects__isnull=True)
                | models.Q(kind="corrective", corrects__isnull=False),
                name="run_corrective_corrects_a_run",
            ),
        ]

    def __str__(self):
        return f"{self.regie.code} {self.month:%m/%Y} – {self.get_kind_display()}"

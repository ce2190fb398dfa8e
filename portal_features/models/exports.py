"""A family's data export (« Mes données »), built by a task and fetched by an expiring link.

    (new) ──► pending ──► running ──► ready ──► expired   (link too old: file deleted)
                 │           └──► failed
                 └──► failed                               (never started in time)

At most one export per family is pending or running (a partial unique constraint), so a
family cannot queue dozens of archives. A ready export's file is served only to the same
family, until `expires_at`; `purge_private_files` then deletes the file.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choices_check,
    created_at_field,
    optional_moment,
    private_file,
    staff_member,
    status_field,
)
from core.models import OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from core.storage import PrivateFileMixin

from ..choices import ExportStatus
from .families import family_link


class DataExport(OutsideReferenceIndex, PrivateFileMixin, models.Model):
    Status = ExportStatus

    IN_PROGRESS = (Status.PENDING, Status.RUNNING)

    private_folder = "exports"
    content_type = "application/zip"

    family = family_link("data_exports")
    requested_by = staff_member(_("requested by"), blank=False)
    status = status_field(Status, default=Status.PENDING)
    file = private_file(_("file"), blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    requested_at = created_at_field(_("requested at"))
    started_at = optional_moment(_("started at"))
    finished_at = optional_moment(_("finished at"))
    expires_at = optional_moment(_("link valid until"))

    objects = FamilyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            choices_check("status", ExportStatus, name="data_export_status_valid"),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(status__in=["pending", "running"]),
                name="data_export_one_in_progress_per_family",
            ),
        ]

    def __str__(self):
        return f"{self.family} – {self.requested_at:%d/%m/%Y %H:%M}"

    @property
    def original_name(self) -> str:
        """The download's stem (private_file_response adds the extension)."""
        return f"portail-famille-{self.family.number}"

    def is_downloadable(self, now) -> bool:
        return self.status == self.Status.READY and bool(self.file) and now < self.expires_at

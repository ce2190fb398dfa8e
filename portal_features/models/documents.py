"""Supporting documents ("pièces justificatives") families send and staff validate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    choice_field,
    choices_check,
    created_at_field,
    optional_date,
    optional_moment,
    private_file,
    protected_link,
    sort_order_field,
    staff_member,
    status_field,
)
from core.models import DecidedModel, OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from core.storage import PrivateFileMixin

from ..choices import DocumentStatus
from .families import child_link, family_link


class DocumentType(OutsideReferenceIndex, models.Model):
    class Scope(models.TextChoices):
        FAMILY = "family", _("One per family")
        CHILD = "child", _("One per child")

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("help for families"), blank=True)
    scope = choice_field(_("asked"), Scope, max_length=10)
    is_required = models.BooleanField(
        _("required"), default=False, help_text=_("Missing or expired, it blocks registrations.")
    )
    default_validity_days = models.PositiveIntegerField(
        _("default validity (days)"),
        null=True,
        blank=True,
        help_text=_("Proposed to staff when they validate; empty for no end date."),
    )
    sort_order = sort_order_field()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class SupportingDocument(OutsideReferenceIndex, PrivateFileMixin, DecidedModel):
    Status = DocumentStatus

    private_folder = "documents"

    family = family_link("documents")
    child = child_link("documents", null=True, blank=True)
    document_type = protected_link(DocumentType, _("type"), "documents")
    file = private_file(_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("format"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    status = status_field(Status, default=Status.PENDING)
    valid_from = optional_date(_("valid from"))
    valid_until = optional_date(_("valid until"))
    uploaded_at = created_at_field(_("sent at"))
    uploaded_by = staff_member(_("sent by"), blank=False)
    expiry_notified_at = optional_moment(_("family told of the expiry at"), editable=False)
    # A refused document's file is deleted after a grace period (purge_private_files); the
    # row and its history stay.
    file_deleted_at = optional_moment(_("file deleted at"), editable=False)

    objects = FamilyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["-uploaded_at"]
        constraints = [
            choices_check("status", DocumentStatus, name="supporting_document_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="valid") | models.Q(valid_from__isnull=False),
                name="supporting_document_valid_has_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="supporting_document_refusal_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.document_type} – {self.original_name}"

    @classmethod
    def files_counted_for(cls, family):
        return cls.objects.filter(family=family).exclude(file="")

    def is_valid_on(self, day) -> bool:
        return (
            self.status == self.Status.VALID
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

"""What families ask and staff decide: new accounts ("Nouveau dossier") and file changes."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    belongs_to,
    choices_check,
    created_at_field,
    optional_link,
    private_file,
    staff_member,
)
from core.models import DecidedModel, OutsideReferenceIndex
from core.storage import PrivateFileMixin

from ..choices import REQUEST_STATUSES
from .families import Family, family_link


class FamilyRequest(OutsideReferenceIndex, DecidedModel):
    """A request staff accept or refuse with a reason, and when it was sent."""

    created_at = created_at_field(_("sent at"))

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class RequestAttachment(OutsideReferenceIndex, PrivateFileMixin, models.Model):
    """A supporting document sent with a request, kept in the private storage until staff
    decide: accepted, it becomes a document of the family (the same stored file) and the row
    goes; refused, the row and its file go."""

    private_folder = "documents"

    document_type = models.ForeignKey(
        "portal_features.DocumentType",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = private_file(_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("format"), max_length=50)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self):
        return f"{self.document_type} – {self.original_name}"


class SignupRequest(FamilyRequest):
    """A household with no account asks for one; `data` holds guardians, address and children."""

    email = models.EmailField(_("e-mail"))
    data = models.JSONField(_("request"), encoder=DjangoJSONEncoder)
    family = optional_link(
        Family, _("family created"), one_to_one=True, related_name="signup_request"
    )

    class Meta(FamilyRequest.Meta):
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        constraints = [
            choices_check("status", REQUEST_STATUSES, name="signup_request_status_valid"),
            # One open request per address: a second submission is not a duplicate file.
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(status="pending"),
                name="signup_request_one_pending_per_email",
            ),
        ]

    def __str__(self):
        return self.email


class SignupAttachment(RequestAttachment):
    """A supporting document sent with an account request; once the request is accepted it
    becomes a pending document of the new family (the same stored file), and this row goes."""

    signup_request = belongs_to(SignupRequest, _("account request"), "attachments")
    # The child's place in the request's list of children (0 = the first); None: the family's.
    child_index = models.PositiveSmallIntegerField(_("child"), null=True, blank=True)

    class Meta(RequestAttachment.Meta):
        verbose_name = _("document sent with an account request")
        verbose_name_plural = _("documents sent with account requests")


class ChangeRequest(FamilyRequest):
    """A family's edit of its file; `changes` maps each field to [old value, new value]."""

    family = family_link("change_requests")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    summary = models.CharField(_("subject"), max_length=255)
    changes = models.JSONField(_("changes"), encoder=DjangoJSONEncoder)
    created_by = staff_member(_("sent by"), blank=False)
    # A new child: the family certified its file, so the child's administrative file of the
    # school years open to enrolment is sent when staff accept the request.
    certified = models.BooleanField(_("administrative file sent with the request"), default=False)

    class Meta(FamilyRequest.Meta):
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        constraints = [
            choices_check("status", REQUEST_STATUSES, name="change_request_status_valid"),
        ]

    def __str__(self):
        return self.summary


class ChangeRequestAttachment(RequestAttachment):
    """A supporting document sent with a new child's request; once staff accept it, it becomes
    a document of the family for that child (the same stored file), and this row goes."""

    change_request = models.ForeignKey(
        ChangeRequest,
        verbose_name=_("change request"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )

    class Meta(RequestAttachment.Meta):
        verbose_name = _("document sent with a change request")
        verbose_name_plural = _("documents sent with change requests")

    @classmethod
    def files_counted_for(cls, family):
        return cls.objects.filter(change_request__family=family).exclude(file="")

"""Messages between a family and a service of the commune ("Messagerie")."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import belongs_to, created_at_field, private_file, protected_link, staff_member
from core.models import OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from core.storage import PrivateFileMixin

from .families import family_link


class Service(OutsideReferenceIndex, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    email = models.EmailField(
        _("notification e-mail"), blank=True, help_text=_("Told of each new family message.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(OutsideReferenceIndex, models.Model):
    service = belongs_to(Service, _("service"), "themes")
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["service__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="theme_unique_per_service"),
        ]

    def __str__(self):
        return f"{self.service} – {self.name}"


class Thread(OutsideReferenceIndex, models.Model):
    family = family_link("threads")
    service = protected_link(Service, _("service"), "threads")
    theme = protected_link(Theme, _("theme"), "threads")
    subject = models.CharField(_("subject"), max_length=200)
    created_at = created_at_field(_("created at"))
    last_message_at = created_at_field(_("last message"))
    family_unread = models.BooleanField(_("unread by the family"), default=False)
    staff_unread = models.BooleanField(_("unread by staff"), default=True)

    objects = FamilyScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]

    def __str__(self):
        return self.subject


class Message(OutsideReferenceIndex, models.Model):
    thread = belongs_to(Thread, _("conversation"), "messages")
    author = staff_member(_("author"), blank=False)
    from_staff = models.BooleanField(_("written by staff"), default=False)
    body = models.TextField(_("message"))
    sent_at = created_at_field(_("sent at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.thread} ({self.sent_at:%d/%m/%Y %H:%M})"


class AttachmentQuerySet(FamilyScopedQuerySet):
    family_field = "message__thread__family"


class MessageAttachment(OutsideReferenceIndex, PrivateFileMixin, models.Model):
    private_folder = "attachments"

    message = belongs_to(Message, _("message"), "attachments")
    file = private_file(_("file"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("format"), max_length=50)
    size = models.PositiveIntegerField(_("size"))

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    @classmethod
    def files_counted_for(cls, family):
        # What staff attach to their replies is not the family's to count.
        return cls.objects.for_family(family).filter(message__from_staff=False)

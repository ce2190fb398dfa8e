"""Alerts ("Mes alertes"): what the family must see, with an unread count in the menu."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet

from .families import Family


class NotificationQuerySet(FamilyScopedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(OutsideReferenceIndex, models.Model):
    class Kind(models.TextChoices):
        ACCOUNT_ACCEPTED = "account_accepted", _("Account accepted")
        REQUEST_ACCEPTED = "request_accepted", _("Request accepted")
        REQUEST_REFUSED = "request_refused", _("Request refused")
        DOCUMENT_VALIDATED = "document_validated", _("Document validated")
        DOCUMENT_REFUSED = "document_refused", _("Document refused")
        DOCUMENT_EXPIRING = "document_expiring", _("Document expiring")
        NEW_MESSAGE = "new_message", _("New message")
        ORDER_RECEIVED = "order_received", _("Order received")
        PLACE_OFFERED = "place_offered", _("Place offered")
        DAY_CANCELLED = "day_cancelled", _("Day cancelled")
        DATA_EXPORT_READY = "data_export_ready", _("Data export ready")
        INVOICE_PUBLISHED = "invoice_published", _("Invoice published")

    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["family", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title

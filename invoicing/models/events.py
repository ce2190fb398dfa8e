"""Every staff action on money, with who, when, and what it was before → after."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import choice_field
from core.models import EventModel, OutsideReferenceIndex

from ..choices import MoneyAction


class MoneyEvent(OutsideReferenceIndex, EventModel):
    action = choice_field(_("action"), MoneyAction, max_length=30)
    regie = models.ForeignKey(
        "invoicing.Regie", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "portal_features.Family",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="money_events",
    )
    run = models.ForeignKey(
        "invoicing.InvoicingRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    invoice = models.ForeignKey(
        "invoicing.Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        verbose_name = _("money event")
        verbose_name_plural = _("money events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()}"

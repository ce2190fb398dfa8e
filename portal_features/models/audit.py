"""Who saw or changed a family's file, and every staff decision on it."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import choice_field, created_at_field, staff_member
from core.models import OutsideReferenceIndex

from .families import family_link


class FamilyEvent(OutsideReferenceIndex, models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", _("Viewed")
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")
        EXPORTED = "exported", _("Data exported")

    family = family_link("events")
    actor = staff_member(_("by"), blank=False)
    action = choice_field(_("action"), Action, max_length=20)
    description = models.CharField(_("description"), max_length=255)
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = created_at_field(_("at"), db_index=True)

    class Meta:
        verbose_name = _("family file event")
        verbose_name_plural = _("family file events")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.description

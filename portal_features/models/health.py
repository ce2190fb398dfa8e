"""The child's health record ("fiche sanitaire"), authorised persons and consents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import (
    belongs_to,
    choice_field,
    created_at_field,
    protected_link,
    sort_order_field,
    staff_member,
)
from core.models import OutsideReferenceIndex
from core.validators import phone_validator

from .families import Child, child_link, family_link


class HealthRecord(OutsideReferenceIndex, models.Model):
    class MealType(models.TextChoices):
        STANDARD = "standard", _("Standard")
        NO_PORK = "no_pork", _("No pork")
        NO_MEAT = "no_meat", _("No meat")
        VEGETARIAN = "vegetarian", _("Vegetarian")
        PACKED_MEAL = "packed_meal", _("Packed meal (PAI)")

    child = belongs_to(Child, _("child"), "health_record", one_to_one=True)
    allergies = models.TextField(_("allergies"), blank=True)
    has_pai = models.BooleanField(
        _("individual care plan (PAI)"),
        default=False,
        help_text=_("A PAI document must then be sent among the supporting documents."),
    )
    pai_details = models.TextField(_("PAI details"), blank=True)
    meal_type = choice_field(_("meal type"), MealType, max_length=20, default=MealType.STANDARD)
    diet_notes = models.CharField(_("diet notes"), max_length=255, blank=True)
    wears_glasses = models.BooleanField(_("wears glasses"), default=False)
    doctor_name = models.CharField(_("family doctor"), max_length=150, blank=True)
    doctor_phone = models.CharField(
        _("doctor's phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    remarks = models.TextField(_("remarks"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("health record")
        verbose_name_plural = _("health records")

    def __str__(self):
        return str(self.child)


class Vaccination(OutsideReferenceIndex, models.Model):
    health_record = belongs_to(HealthRecord, _("health record"), "vaccinations")
    vaccine = models.CharField(_("vaccine"), max_length=100)
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")
        ordering = ["vaccine", "date"]

    def __str__(self):
        return f"{self.vaccine} ({self.date:%d/%m/%Y})"


class AuthorizedPerson(OutsideReferenceIndex, models.Model):
    """An adult a household allows to pick the child up and/or to call in an emergency."""

    family = family_link("authorized_persons")
    child = child_link("authorized_persons")
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    relationship = models.CharField(_("relationship to the child"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    may_pick_up = models.BooleanField(_("may pick the child up"), default=True)
    emergency_contact = models.BooleanField(_("to call in an emergency"), default=False)

    class Meta:
        verbose_name = _("authorised person")
        verbose_name_plural = _("authorised persons")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(may_pick_up=True) | models.Q(emergency_contact=True),
                name="authorized_person_has_a_role",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


class ConsentType(OutsideReferenceIndex, models.Model):
    """An authorisation staff ask for each child (droit à l'image, sorties, transport…)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("text shown to families"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = sort_order_field()

    class Meta:
        verbose_name = _("consent type")
        verbose_name_plural = _("consent types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Consent(OutsideReferenceIndex, models.Model):
    child = child_link("consents")
    consent_type = protected_link(ConsentType, _("consent"), "+")
    granted = models.BooleanField(_("granted"), default=False)
    updated_at = created_at_field(_("updated at"))
    updated_by = staff_member(_("updated by"))

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(fields=["child", "consent_type"], name="consent_unique"),
        ]

    def __str__(self):
        return f"{self.child} – {self.consent_type}"

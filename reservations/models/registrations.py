"""The yearly "dossier administratif" (enrolment) and the registrations it opens."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import RequestStatus
from core.fields import choices_check, created_at_field, protected_link, staff_member
from core.models import DecidedModel, OutsideReferenceIndex
from core.querysets import FamilyScopedQuerySet
from portal_features.models import child_link, family_link

from .configuration import Activity, Group, SchoolYear

LIVE_REQUEST = [RequestStatus.PENDING, RequestStatus.ACCEPTED]


def one_live_request(fields: list[str], *, name: str) -> models.UniqueConstraint:
    """At most one pending or accepted request for the same `fields`."""
    return models.UniqueConstraint(
        fields=fields, condition=models.Q(status__in=LIVE_REQUEST), name=name
    )


class DecisionFields(OutsideReferenceIndex, DecidedModel):
    """Who asked and when; who decided, when and why come with DecidedModel. Shared by
    enrolments and registrations."""

    created_at = created_at_field(_("asked at"))
    created_by = staff_member(_("asked by"))

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class Enrolment(DecisionFields):
    """A child's file for a school year, certified by the family and validated by staff."""

    family = family_link("enrolments")
    child = child_link("enrolments")
    school_year = protected_link(SchoolYear, _("school year"), "enrolments")
    comment = models.TextField(_("comment for the staff"), blank=True)

    objects = FamilyScopedQuerySet.as_manager()

    class Meta(DecisionFields.Meta):
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            choices_check("status", RequestStatus, name="enrolment_status_valid"),
            one_live_request(
                ["child", "school_year"], name="enrolment_one_live_per_child_and_year"
            ),
        ]

    def __str__(self):
        return f"{self.child} – {self.school_year}"


class Registration(DecisionFields):
    """A child's registration to an activity ("ouvrir une ligne d'activité")."""

    family = family_link("registrations")
    child = child_link("registrations")
    activity = protected_link(Activity, _("activity"), "registrations")
    group = protected_link(Group, _("group"), "registrations")

    objects = FamilyScopedQuerySet.as_manager()

    class Meta(DecisionFields.Meta):
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            choices_check("status", RequestStatus, name="registration_status_valid"),
            one_live_request(
                ["child", "family", "activity"],
                name="registration_one_live_per_child_and_activity",
            ),
        ]

    def __str__(self):
        return f"{self.child} – {self.activity}"
